// adapters/text/transliterate.cc
//
// Compiling a transform (createInstance) parses rule files and costs
// milliseconds, so each id is compiled once. ICU transliterators keep
// mutable state while they run and must not be shared between threads; each
// cached entry therefore holds a small pool of instances: a call borrows
// one (cloning the compiled prototype when the pool is empty) and gives it
// back afterwards. The cache is never evicted: ids come from code and
// configuration, not from messages, so it stays small.
#include "adapters/text/transliterate.h"

#include <unicode/parseerr.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "adapters/text/utf8_check.h"

namespace gw::text {
namespace {

// Idle instances kept per id; more concurrent callers clone and discard.
constexpr size_t kMaxIdle = 8;

class Entry {
 public:
  explicit Entry(std::unique_ptr<icu::Transliterator> prototype)
      : prototype_(std::move(prototype)) {}

  std::unique_ptr<icu::Transliterator> Borrow() {
    absl::MutexLock lock(&mu_);
    if (!idle_.empty()) {
      std::unique_ptr<icu::Transliterator> t = std::move(idle_.back());
      idle_.pop_back();
      return t;
    }
    // Cloning under the lock: the prototype itself is never run, but
    // clone() is only documented as safe against concurrent const use.
    return std::unique_ptr<icu::Transliterator>(prototype_->clone());
  }

  void Return(std::unique_ptr<icu::Transliterator> t) {
    if (t == nullptr) return;
    absl::MutexLock lock(&mu_);
    if (idle_.size() < kMaxIdle) idle_.push_back(std::move(t));
  }

 private:
  absl::Mutex mu_;
  const std::unique_ptr<icu::Transliterator> prototype_;
  std::vector<std::unique_ptr<icu::Transliterator>> idle_ ABSL_GUARDED_BY(mu_);
};

absl::Mutex cache_mu(absl::kConstInit);

// Entries are never removed, so a pointer obtained under the lock stays
// valid after it is released.
std::map<std::string, std::unique_ptr<Entry>, std::less<>>& Cache()
    ABSL_EXCLUSIVE_LOCKS_REQUIRED(cache_mu) {
  static auto* cache =
      new std::map<std::string, std::unique_ptr<Entry>, std::less<>>();
  return *cache;
}

absl::StatusOr<Entry*> GetEntry(std::string_view transform_id) {
  absl::MutexLock lock(&cache_mu);
  auto& cache = Cache();
  if (auto it = cache.find(transform_id); it != cache.end()) {
    return it->second.get();
  }
  absl::StatusOr<icu::UnicodeString> id = internal::ToUnicode(transform_id);
  if (!id.ok()) {
    return absl::InvalidArgumentError("transform id is not valid UTF-8");
  }
  UParseError parse_error{};
  UErrorCode error = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> t(icu::Transliterator::createInstance(
      *id, UTRANS_FORWARD, parse_error, error));
  if (U_FAILURE(error) || t == nullptr) {
    // The id is code-supplied, never personal data, so it may be quoted.
    std::string where;
    if (parse_error.offset > 0) {
      where = absl::StrCat(" at offset ", parse_error.offset);
    }
    return absl::InvalidArgumentError(
        absl::StrCat("transform '", std::string(transform_id),
                     "': ", u_errorName(error), where));
  }
  Entry* entry = new Entry(std::move(t));
  cache.emplace(std::string(transform_id), std::unique_ptr<Entry>(entry));
  return entry;
}

}  // namespace

absl::StatusOr<std::string> Transliterate(std::string_view transform_id,
                                          std::string_view utf8) {
  absl::StatusOr<icu::UnicodeString> text = internal::ToUnicode(utf8);
  if (!text.ok()) return text.status();
  absl::StatusOr<Entry*> entry = GetEntry(transform_id);
  if (!entry.ok()) return entry.status();
  std::unique_ptr<icu::Transliterator> t = (*entry)->Borrow();
  if (t == nullptr) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "transform '", std::string(transform_id), "': cannot clone"));
  }
  t->transliterate(*text);
  (*entry)->Return(std::move(t));
  std::string out;
  text->toUTF8String(out);
  return out;
}

}  // namespace gw::text
