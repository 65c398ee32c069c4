// adapters/transport/file_drop.cc
//
// The background thread owns all per-message state (pending Sends, inbound
// messages, clean-up bookkeeping) and does every file operation, so that
// state needs no lock. The only shared state is the hand-off queue in
// Shared: Sends and receiver answers arriving on other threads, the stop
// flag, the receiver pointer and the poll counter. Answer callbacks keep
// Shared alive, since the gateway may answer after the transport is gone.
#include "adapters/transport/file_drop.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "gateway/crypto/sha256.h"
#include "gateway/util/uuid.h"

namespace gw::adapters {
namespace {

// §7.3: an .ack still invalid after this long is reported to an operator.
constexpr absl::Duration kInvalidAckLogAfter = absl::Hours(6);
// §7.4: a .csv/.sig without .done is reported after this long.
constexpr absl::Duration kOrphanLogAfter = absl::Hours(24 * 7);
// A §3.6 .done is 214 bytes; anything much larger is malformed, and is not
// read into memory.
constexpr size_t kMaxDoneBytes = 4096;
// Under the link root, beside outbox/ and inbox/: our final receipts after
// they leave outbox/ (see Engine::kept_).
constexpr char kKeptDirectory[] = "receipts";
// Reads of the other files are bounded too: everything in inbox/ is
// written by the other side. A .csv may be 16 MiB (LA-MPS.md §9); twice
// that is read, so the codec can refuse it as PAYLOAD_TOO_LARGE, and
// anything larger is not read at all. A .sig is 89 bytes, an .ack small.
constexpr size_t kMaxCsvBytes = 32u << 20;
constexpr size_t kMaxSigBytes = 4096;
constexpr size_t kMaxAckBytes = 1u << 20;
// The longest wait before a message the gateway did not answer is handed
// over again while its files stay the same.
constexpr absl::Duration kMaxUnansweredDelay = absl::Hours(1);
constexpr mode_t kFileMode = 0640;  // §2.2
constexpr mode_t kDirMode = 0750;   // §2.2: the exchange accounts only
constexpr char kTmpSuffix[] = ".tmp";
constexpr char kInboundContentType[] = "text/csv";

// ---------------------------------------------------------------------------
// Names (§3.1)

bool IsLowerHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

enum class FileKind { kCsv, kSig, kDone, kAck };

struct ParsedName {
  std::string id;
  FileKind kind;
};

// <id>.(csv|sig|done|ack), or nullopt for every other name.
std::optional<ParsedName> ParseName(absl::string_view name) {
  const size_t dot = name.find('.');
  if (dot == absl::string_view::npos) return std::nullopt;
  const absl::string_view id = name.substr(0, dot);
  const absl::string_view ext = name.substr(dot + 1);
  if (!util::IsLowercaseUuid(id)) return std::nullopt;
  FileKind kind;
  if (ext == "csv") {
    kind = FileKind::kCsv;
  } else if (ext == "sig") {
    kind = FileKind::kSig;
  } else if (ext == "done") {
    kind = FileKind::kDone;
  } else if (ext == "ack") {
    kind = FileKind::kAck;
  } else {
    return std::nullopt;
  }
  return ParsedName{std::string(id), kind};
}

// ---------------------------------------------------------------------------
// Files

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { Close(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  bool ok() const { return fd_ >= 0; }
  // 0, or the errno of close(2) (which can report a failed write-back).
  int Close() {
    if (fd_ < 0) return 0;
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc == 0 ? 0 : errno;
  }

 private:
  int fd_;
};

class Dir {
 public:
  explicit Dir(DIR* dir) : dir_(dir) {}
  ~Dir() {
    if (dir_ != nullptr) ::closedir(dir_);
  }
  Dir(const Dir&) = delete;
  Dir& operator=(const Dir&) = delete;
  DIR* get() const { return dir_; }

 private:
  DIR* dir_;
};

absl::Status IoError(const std::string& path, int err) {
  return absl::UnavailableError(absl::StrCat(path, ": ", std::strerror(err),
                                             "; check the link directory"));
}

std::string JoinPath(const std::string& dir, absl::string_view name) {
  return absl::StrCat(dir, "/", name);
}

// What identifies one version of a file, for change detection: a rewrite
// by rename gives a new inode, a copy over it a new mtime or size.
struct FileStamp {
  bool exists = false;
  int64_t mtime_ns = 0;
  int64_t size = 0;
  uint64_t inode = 0;
  uint64_t device = 0;

  absl::Time mtime() const { return absl::FromUnixNanos(mtime_ns); }
  bool operator==(const FileStamp& o) const {
    return exists == o.exists && mtime_ns == o.mtime_ns && size == o.size &&
           inode == o.inode && device == o.device;
  }
  bool operator!=(const FileStamp& o) const { return !(*this == o); }
};

FileStamp StampOf(const std::string& path) {
  struct stat st;
  FileStamp stamp;
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return stamp;
  stamp.exists = true;
  stamp.mtime_ns =
      static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  stamp.size = st.st_size;
  stamp.inode = st.st_ino;
  stamp.device = st.st_dev;
  return stamp;
}

// The three files of one message.
struct MessageStamp {
  FileStamp csv, sig, done;
  bool operator==(const MessageStamp& o) const {
    return csv == o.csv && sig == o.sig && done == o.done;
  }
  bool operator!=(const MessageStamp& o) const { return !(*this == o); }
};

// The whole file, or its first max_bytes + 1 bytes when it is longer (the
// caller sees it is too long). Only a regular file is read: a symbolic
// link, FIFO or device planted in the link directory would otherwise let
// the other side read our files or block this thread for ever.
// NOT_FOUND when it does not exist; FAILED_PRECONDITION for anything but a
// regular file; UNAVAILABLE naming the path for other errors.
absl::StatusOr<std::string> ReadWholeFile(const std::string& path,
                                          size_t max_bytes) {
  Fd fd(::open(path.c_str(),
               O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY));
  if (!fd.ok()) {
    const int err = errno;
    if (err == ENOENT) return absl::NotFoundError(path);
    if (err == ELOOP) {
      return absl::FailedPreconditionError(
          absl::StrCat(path, ": a symbolic link; only regular files are read"));
    }
    return IoError(path, err);
  }
  struct stat info;
  if (::fstat(fd.get(), &info) != 0) return IoError(path, errno);
  if (!S_ISREG(info.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, ": not a regular file; only regular files are read"));
  }
  std::string bytes;
  char buffer[64 * 1024];
  while (bytes.size() <= max_bytes) {
    const ssize_t n = ::read(fd.get(), buffer, sizeof(buffer));
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError(path, errno);
    }
    if (n == 0) break;
    bytes.append(buffer, static_cast<size_t>(n));
  }
  return bytes;
}

absl::Status FsyncDirectory(const std::string& dir) {
  Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd.ok()) return IoError(dir, errno);
  if (::fsync(fd.get()) != 0) return IoError(dir, errno);
  if (const int err = fd.Close(); err != 0) return IoError(dir, err);
  return absl::OkStatus();
}

absl::Status WriteAll(int fd, absl::string_view bytes,
                      const std::string& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError(path, errno);
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

// §3.2 steps 1-4 for one file: <name>.tmp, write, fsync, rename, fsync the
// directory. On failure the .tmp is removed (best effort) and <name> is
// untouched.
absl::Status WriteFileAtomically(const std::string& dir, absl::string_view name,
                                 absl::string_view bytes) {
  const std::string path = JoinPath(dir, name);
  const std::string tmp = absl::StrCat(path, kTmpSuffix);
  auto attempt = [&]() -> absl::Status {
    Fd fd(::open(tmp.c_str(),
                 O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
                 kFileMode));
    if (!fd.ok()) return IoError(tmp, errno);
    // The umask may have narrowed the mode, and an old .tmp may have had
    // another one; the ICD fixes 0640 (§2.2).
    if (::fchmod(fd.get(), kFileMode) != 0) return IoError(tmp, errno);
    if (absl::Status written = WriteAll(fd.get(), bytes, tmp); !written.ok())
      return written;
    if (::fsync(fd.get()) != 0) return IoError(tmp, errno);
    if (const int err = fd.Close(); err != 0) return IoError(tmp, err);
    if (::rename(tmp.c_str(), path.c_str()) != 0) return IoError(path, errno);
    return absl::OkStatus();
  };
  if (absl::Status status = attempt(); !status.ok()) {
    struct stat st;
    if (::lstat(tmp.c_str(), &st) == 0 && S_ISREG(st.st_mode))
      ::unlink(tmp.c_str());
    return status;
  }
  return FsyncDirectory(dir);
}

// Regular files and other entries in `dir`, by name.
absl::StatusOr<std::vector<std::string>> ListNames(const std::string& dir) {
  Dir handle(::opendir(dir.c_str()));
  if (handle.get() == nullptr) return IoError(dir, errno);
  std::vector<std::string> names;
  for (;;) {
    errno = 0;
    const struct dirent* entry = ::readdir(handle.get());
    if (entry == nullptr) {
      if (errno != 0) return IoError(dir, errno);
      break;
    }
    const absl::string_view name = entry->d_name;
    if (name == "." || name == "..") continue;
    names.emplace_back(name);
  }
  return names;
}

// Creates `path` with mode 0750 if it does not exist.
absl::Status EnsureDirectory(const std::string& path) {
  if (::mkdir(path.c_str(), kDirMode) == 0) {
    // mkdir(2) applies the umask; the ICD wants exactly the exchange
    // accounts.
    if (::chmod(path.c_str(), kDirMode) != 0)
      return absl::FailedPreconditionError(
          absl::StrCat("link_root: ", path, ": ", std::strerror(errno)));
    return absl::OkStatus();
  }
  const int err = errno;
  struct stat st;
  if (err == EEXIST && ::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "link_root: ", path, ": ",
      err == EEXIST ? "exists and is not a directory" : std::strerror(err)));
}

// ---------------------------------------------------------------------------
// §3.6 .done

std::string DoneLine(absl::string_view bytes, absl::string_view file_name) {
  return absl::StrCat(gw::crypto::Sha256Hex(bytes), "  ", file_name, "\n");
}

std::string DoneFileFor(absl::string_view id, absl::string_view csv,
                        absl::string_view sig) {
  return absl::StrCat(DoneLine(csv, absl::StrCat(id, ".csv")),
                      DoneLine(sig, absl::StrCat(id, ".sig")));
}

// The digest of one §3.6 line "<64 hex>  <file_name>\n", or nullopt.
std::optional<absl::string_view> ParseDoneLine(absl::string_view line,
                                               absl::string_view file_name) {
  if (line.size() != 64 + 2 + file_name.size() + 1) return std::nullopt;
  const absl::string_view hex = line.substr(0, 64);
  for (char c : hex)
    if (!IsLowerHex(c)) return std::nullopt;
  if (line.substr(64, 2) != "  " ||
      line.substr(66, file_name.size()) != file_name || line.back() != '\n')
    return std::nullopt;
  return hex;
}

// §7.2 steps 1-2 on bytes already read (nullopt = the file is missing).
// Empty when complete, else one line for the partner's operators saying
// what is wrong (names and digests only, never content).
std::string WhatIsIncomplete(absl::string_view id, absl::string_view done,
                             const std::optional<std::string>& csv,
                             const std::optional<std::string>& sig) {
  const std::string csv_name = absl::StrCat(id, ".csv");
  const std::string sig_name = absl::StrCat(id, ".sig");
  const size_t first_line = done.find('\n');
  std::optional<absl::string_view> csv_hex, sig_hex;
  if (first_line != absl::string_view::npos) {
    csv_hex = ParseDoneLine(done.substr(0, first_line + 1), csv_name);
    sig_hex = ParseDoneLine(done.substr(first_line + 1), sig_name);
  }
  if (!csv_hex || !sig_hex) {
    return absl::StrCat(id, ".done: not exactly the two lines '<sha256>  ",
                        csv_name, "' and '<sha256>  ", sig_name, "'");
  }
  if (!csv && !sig)
    return absl::StrCat(csv_name, " and ", sig_name, ": missing");
  if (!csv) return absl::StrCat(csv_name, ": missing");
  if (!sig) return absl::StrCat(sig_name, ": missing");
  if (gw::crypto::Sha256Hex(*csv) != *csv_hex) {
    return absl::StrCat(csv_name, ": SHA-256 of the ", csv->size(),
                        " bytes present differs from ", id, ".done");
  }
  if (gw::crypto::Sha256Hex(*sig) != *sig_hex) {
    return absl::StrCat(sig_name, ": SHA-256 of the ", sig->size(),
                        " bytes present differs from ", id, ".done");
  }
  return "";
}

const std::string* FindMetadata(const Metadata& metadata, absl::string_view key,
                                int* count) {
  const std::string* found = nullptr;
  *count = 0;
  for (const auto& [k, v] : metadata) {
    if (k == key) {
      found = &v;
      ++*count;
    }
  }
  return found;
}

}  // namespace

// ---------------------------------------------------------------------------
// Engine

class FileDropTransport::Engine {
 public:
  Engine(FileDropOptions options, const FileDropProtocol* protocol,
         const AnswerEncoder* answers, int lock_fd)
      : options_(std::move(options)),
        protocol_(protocol),
        answers_(answers),
        outbox_(JoinPath(options_.link_root, "outbox")),
        inbox_(JoinPath(options_.link_root, "inbox")),
        kept_(JoinPath(options_.link_root, kKeptDirectory)),
        lock_fd_(lock_fd),
        shared_(std::make_shared<Shared>()) {}

  ~Engine() { Stop(); }

  void Start() {
    thread_ = std::thread([this] { Run(); });
  }

  void Send(const PartnerMessage& message, SendDone done);
  absl::Status StartReceiving(InboundReceiver* receiver);
  void Stop();
  uint64_t CompletedPolls() const {
    absl::MutexLock lock(&shared_->mu);
    return shared_->polls;
  }

 private:
  // A Send not yet taken up by the thread.
  struct QueuedSend {
    std::string id;
    std::string csv, sig, done_file;
    SendDone done;
  };
  // The gateway's answer to a message handed over at `stamp`.
  struct ReceivedAnswer {
    std::string id;
    MessageStamp stamp;
    std::shared_ptr<const PartnerMessage> received;
    InboundAnswer answer;
  };
  struct Shared {
    mutable absl::Mutex mu;
    std::deque<QueuedSend> sends ABSL_GUARDED_BY(mu);
    std::deque<ReceivedAnswer> answers ABSL_GUARDED_BY(mu);
    InboundReceiver* receiver ABSL_GUARDED_BY(mu) = nullptr;  // not owned
    bool poll_requested ABSL_GUARDED_BY(mu) = false;
    bool stopping ABSL_GUARDED_BY(mu) = false;
    uint64_t polls ABSL_GUARDED_BY(mu) = 0;

    bool HasWork() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
      return stopping || poll_requested || !sends.empty() || !answers.empty();
    }
  };

  // An outbound message waiting for its final .ack.
  struct Pending {
    std::string csv, sig, done_file;
    SendDone done;
    absl::Time last_written;
    // The last inbox/<id>.ack inspected, and its digest.
    std::optional<FileStamp> ack_stamp;
    std::string ack_sha256;
    // First time the .ack was found invalid, in the current run of invalid
    // versions.
    std::optional<absl::Time> invalid_since;
    bool invalid_logged = false;
  };

  // What this transport knows of one inbound message id.
  struct Inbound {
    // The files last answered with an .ack, or found already answered by
    // our final .ack (§7.2 step 4).
    std::optional<MessageStamp> processed;
    bool in_flight = false;
    // §7.2 step 3: first poll that found it incomplete.
    std::optional<absl::Time> incomplete_since;
    // The files a CORRUPT .ack was last written for.
    std::optional<MessageStamp> corrupt_written;
    bool read_error_logged = false;
    bool own_ack_read_error_logged = false;  // outbox/<id>.ack
    // The files the gateway last answered with no .ack (held for an
    // unknown key, a conflicting reuse of an id), and when to hand them
    // over again: after one poll interval, then twice as long each time up
    // to an hour, so a message held for days is not refused (and audited)
    // at every poll. Files that change are handed over at once.
    std::optional<MessageStamp> unanswered;
    absl::Time unanswered_retry_at;
    absl::Duration unanswered_delay;
  };

  struct Orphan {
    absl::Time since;
    bool logged = false;
  };

  void Run();
  void Log(const std::string& line) const;
  absl::Time Now() const { return options_.clock(); }

  // Sending.
  void TakeUpSend(QueuedSend queued);
  absl::Status WriteUnlessFresh(const std::string& id, Pending& pending);
  absl::Status WriteMessage(const std::string& id, Pending& pending);
  // Returns true when the Send was answered and removed.
  bool CheckAck(const std::string& id);
  void PollSends();
  void Complete(const std::string& id, PartnerAnswer answer);

  // Receiving.
  void PollInbox(InboundReceiver* receiver);
  void ProcessInbound(const std::string& id, InboundReceiver* receiver);
  // §7.2 step 4 for complete files: true when they must not be handed
  // over (see the definition).
  // Whether outbox/<id>.ack or the kept copy is a final .ack of ours.
  bool HasFinalOwnAck(const std::string& id) const;
  bool SettledByOwnAck(const std::string& id, const MessageStamp& stamp,
                       absl::string_view csv, Inbound& state);
  void FinishInbound(ReceivedAnswer received);

  // Clean-up (§7.5).
  void CleanUp();
  void NoteUnclaimedMessage(const std::string& id);

  const FileDropOptions options_;
  const FileDropProtocol* const protocol_;  // not owned
  const AnswerEncoder* const answers_;      // not owned
  const std::string outbox_;
  const std::string inbox_;
  // Our final .ack files, moved here from outbox/ when §7.5 clears them
  // after 30 days and kept for final_state_retention (§7.2: message ids,
  // digests and .ack bytes for at least 400 days). The partner never reads
  // this directory.
  const std::string kept_;
  int lock_fd_;  // flock(2) on outbox/; closed by Stop

  std::shared_ptr<Shared> shared_;
  absl::Mutex stop_mu_;  // serializes Stop()
  std::thread thread_;

  // Owned by the thread (and by Stop after the thread has ended).
  absl::flat_hash_map<std::string, Pending> pending_;
  // Our messages with a processed final ack, and when it was processed.
  absl::flat_hash_map<std::string, absl::Time> finals_;
  // Our messages in outbox/ with no Send (after a restart): the last
  // inbox/<id>.ack inspected for them.
  absl::flat_hash_map<std::string, FileStamp> unclaimed_acks_;
  absl::flat_hash_map<std::string, Inbound> inbound_;
  absl::flat_hash_map<std::string, Orphan> orphans_;
};

void FileDropTransport::Engine::Log(const std::string& line) const {
  if (options_.log) {
    options_.log(line);
    return;
  }
  // One write per line so that concurrent lines do not interleave.
  const std::string text =
      absl::StrCat("file_drop[", options_.peer_agency, "]: ", line, "\n");
  std::fwrite(text.data(), 1, text.size(), stderr);
}

void FileDropTransport::Engine::Send(const PartnerMessage& message,
                                     SendDone done) {
  auto refuse = [&done](absl::Status status) {
    PartnerAnswer answer;
    answer.status = std::move(status);
    done(std::move(answer));
  };
  if (!util::IsLowercaseUuid(message.message_id)) {
    refuse(absl::InvalidArgumentError(
        "message_id: not a lowercase UUID (LA-MPS.md §3.1)"));
    return;
  }
  int sig_count = 0;
  int done_count = 0;
  const std::string* sig = FindMetadata(message.metadata, kSigFile, &sig_count);
  const std::string* done_file =
      FindMetadata(message.metadata, kDoneFile, &done_count);
  if (sig_count != 1 || done_count != 1) {
    refuse(absl::InvalidArgumentError(
        absl::StrCat("metadata[", sig_count != 1 ? kSigFile : kDoneFile, "]: ",
                     (sig_count != 1 ? sig_count : done_count) == 0
                         ? "missing"
                         : "given more than once")));
    return;
  }
  QueuedSend queued{message.message_id, message.bytes, *sig, *done_file,
                    std::move(done)};
  {
    absl::MutexLock lock(&shared_->mu);
    if (!shared_->stopping) {
      shared_->sends.push_back(std::move(queued));
      return;
    }
  }
  PartnerAnswer stopped;
  stopped.status = absl::UnavailableError(
      absl::StrCat(message.message_id, ": file_drop transport stopped"));
  queued.done(std::move(stopped));
}

absl::Status FileDropTransport::Engine::StartReceiving(
    InboundReceiver* receiver) {
  if (receiver == nullptr)
    return absl::InvalidArgumentError("receiver: must not be null");
  absl::MutexLock lock(&shared_->mu);
  if (shared_->stopping)
    return absl::FailedPreconditionError("file_drop transport stopped");
  if (shared_->receiver != nullptr)
    return absl::FailedPreconditionError(
        "file_drop transport already receiving");
  shared_->receiver = receiver;
  shared_->poll_requested = true;
  return absl::OkStatus();
}

void FileDropTransport::Engine::Stop() {
  std::vector<std::pair<std::string, SendDone>> to_answer;
  {
    absl::MutexLock stop_lock(&stop_mu_);
    {
      absl::MutexLock lock(&shared_->mu);
      shared_->stopping = true;
    }
    if (thread_.joinable()) thread_.join();
    for (auto& [id, pending] : pending_)
      to_answer.emplace_back(id, std::move(pending.done));
    pending_.clear();
    {
      absl::MutexLock lock(&shared_->mu);
      for (QueuedSend& queued : shared_->sends)
        to_answer.emplace_back(queued.id, std::move(queued.done));
      shared_->sends.clear();
      // Answers still queued are dropped: after a restart the message is
      // handed over again and the gateway answers it from its store.
      shared_->answers.clear();
    }
    if (lock_fd_ >= 0) {
      ::close(lock_fd_);
      lock_fd_ = -1;
    }
  }
  for (auto& [id, done] : to_answer) {
    PartnerAnswer answer;
    answer.status = absl::UnavailableError(absl::StrCat(
        id, ": file_drop transport stopped before a final .ack arrived"));
    done(std::move(answer));
  }
}

void FileDropTransport::Engine::Run() {
  absl::Time next_poll = absl::Now();
  for (;;) {
    std::deque<QueuedSend> sends;
    std::deque<ReceivedAnswer> answers;
    InboundReceiver* receiver = nullptr;
    bool poll = false;
    {
      absl::MutexLock lock(&shared_->mu);
      shared_->mu.AwaitWithDeadline(
          absl::Condition(shared_.get(), &Shared::HasWork), next_poll);
      if (shared_->stopping) return;
      sends.swap(shared_->sends);
      answers.swap(shared_->answers);
      receiver = shared_->receiver;
      poll = shared_->poll_requested || absl::Now() >= next_poll;
      shared_->poll_requested = false;
    }
    for (QueuedSend& queued : sends) TakeUpSend(std::move(queued));
    for (ReceivedAnswer& answer : answers) FinishInbound(std::move(answer));
    if (!poll) continue;
    PollSends();
    if (receiver != nullptr) PollInbox(receiver);
    CleanUp();
    next_poll = absl::Now() + options_.poll_interval;
    absl::MutexLock lock(&shared_->mu);
    ++shared_->polls;
  }
}

// ---------------------------------------------------------------------------
// Sending (§3.2, §7.3)

void FileDropTransport::Engine::Complete(const std::string& id,
                                         PartnerAnswer answer) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return;
  SendDone done = std::move(it->second.done);
  pending_.erase(it);
  done(std::move(answer));
}

void FileDropTransport::Engine::TakeUpSend(QueuedSend queued) {
  const std::string id = queued.id;
  if (pending_.contains(id)) {
    PartnerAnswer superseded;
    superseded.status = absl::UnavailableError(absl::StrCat(
        id, ": superseded by a later Send of the same message id"));
    Complete(id, std::move(superseded));
  }
  if (queued.done_file != DoneFileFor(id, queued.csv, queued.sig)) {
    PartnerAnswer refused;
    refused.status = absl::InvalidArgumentError(absl::StrCat(
        "metadata[", kDoneFile,
        "]: not the SHA-256 lines of these bytes and this sig (LA-MPS.md "
        "§3.6)"));
    queued.done(std::move(refused));
    return;
  }
  finals_.erase(id);
  unclaimed_acks_.erase(id);
  Pending pending;
  pending.csv = std::move(queued.csv);
  pending.sig = std::move(queued.sig);
  pending.done_file = std::move(queued.done_file);
  pending.done = std::move(queued.done);
  if (absl::Status written = WriteUnlessFresh(id, pending); !written.ok()) {
    PartnerAnswer failed;
    failed.status = std::move(written);
    pending.done(std::move(failed));
    return;
  }
  pending_.emplace(id, std::move(pending));
  // The final .ack may be there already (a restart resending a delivery
  // that was answered while the gateway was down).
  CheckAck(id);
}

absl::Status FileDropTransport::Engine::WriteUnlessFresh(const std::string& id,
                                                         Pending& pending) {
  const std::string done_path = JoinPath(outbox_, absl::StrCat(id, ".done"));
  const FileStamp done_stamp = StampOf(done_path);
  if (done_stamp.exists) {
    const absl::Time now = Now();
    auto same = [&](absl::string_view ext, const std::string& bytes) {
      absl::StatusOr<std::string> on_disk =
          ReadWholeFile(JoinPath(outbox_, absl::StrCat(id, ext)), bytes.size());
      return on_disk.ok() && *on_disk == bytes;
    };
    if (now - done_stamp.mtime() < options_.redelivery_interval &&
        same(".csv", pending.csv) && same(".sig", pending.sig) &&
        same(".done", pending.done_file) && StampOf(done_path) == done_stamp) {
      pending.last_written = std::min(now, done_stamp.mtime());
      return absl::OkStatus();
    }
  }
  return WriteMessage(id, pending);
}

absl::Status FileDropTransport::Engine::WriteMessage(const std::string& id,
                                                     Pending& pending) {
  // A .done of other bytes must not be seen next to the new .csv: remove
  // it first, so the partner sees "no .done yet" rather than a mismatch.
  const std::string done_name = absl::StrCat(id, ".done");
  const std::string done_path = JoinPath(outbox_, done_name);
  const absl::Time started = Now();
  if (absl::StatusOr<std::string> old_done =
          ReadWholeFile(done_path, kMaxDoneBytes);
      old_done.ok() && *old_done != pending.done_file) {
    if (::unlink(done_path.c_str()) != 0 && errno != ENOENT)
      return IoError(done_path, errno);
    if (absl::Status synced = FsyncDirectory(outbox_); !synced.ok())
      return synced;
  }
  // §3.1: .csv first, .sig second, .done last.
  if (absl::Status s =
          WriteFileAtomically(outbox_, absl::StrCat(id, ".csv"), pending.csv);
      !s.ok())
    return s;
  if (absl::Status s =
          WriteFileAtomically(outbox_, absl::StrCat(id, ".sig"), pending.sig);
      !s.ok())
    return s;
  if (absl::Status s =
          WriteFileAtomically(outbox_, done_name, pending.done_file);
      !s.ok())
    return s;
  pending.last_written = started;
  return absl::OkStatus();
}

bool FileDropTransport::Engine::CheckAck(const std::string& id) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return true;
  Pending& pending = it->second;
  const absl::Time now = Now();
  const std::string path = JoinPath(inbox_, absl::StrCat(id, ".ack"));
  const FileStamp stamp = StampOf(path);
  if (!stamp.exists) {
    pending.ack_stamp.reset();
    pending.ack_sha256.clear();
    pending.invalid_since.reset();
    pending.invalid_logged = false;
    return false;
  }
  if (!pending.ack_stamp || *pending.ack_stamp != stamp) {
    absl::StatusOr<std::string> bytes = ReadWholeFile(path, kMaxAckBytes);
    if (!bytes.ok()) {
      // Gone between stat and open, or unreadable: look again next poll.
      if (!absl::IsNotFound(bytes.status()))
        Log(absl::StrCat(id,
                         ": cannot read the .ack: ", bytes.status().message()));
      return false;
    }
    const std::string sha256 = gw::crypto::Sha256Hex(*bytes);
    const bool new_content = !pending.ack_stamp || sha256 != pending.ack_sha256;
    pending.ack_stamp = stamp;
    pending.ack_sha256 = sha256;
    // A copy of the same bytes (new mtime or inode) changes nothing: a
    // CORRUPT .ack already answered is not answered twice.
    if (new_content) {
      switch (protocol_->InspectAck(id, *bytes)) {
        case FileDropProtocol::AckKind::kFinal: {
          finals_[id] = now;
          PartnerAnswer answer;
          answer.status = absl::OkStatus();
          answer.bytes = *std::move(bytes);
          Complete(id, std::move(answer));
          return true;
        }
        case FileDropProtocol::AckKind::kCorrupt: {
          pending.invalid_since.reset();
          pending.invalid_logged = false;
          Log(absl::StrCat(
              id, ": CORRUPT .ack from the partner; rewriting the files"));
          if (absl::Status written = WriteMessage(id, pending); !written.ok()) {
            PartnerAnswer failed;
            failed.status = std::move(written);
            Complete(id, std::move(failed));
            return true;
          }
          return false;
        }
        case FileDropProtocol::AckKind::kIgnore:
          if (!pending.invalid_since) pending.invalid_since = now;
          break;
      }
    }
  }
  if (pending.invalid_since && !pending.invalid_logged &&
      now - *pending.invalid_since >= kInvalidAckLogAfter) {
    pending.invalid_logged = true;
    Log(absl::StrCat(id, ": inbox/", id,
                     ".ack is still not a valid receipt after ",
                     absl::FormatDuration(kInvalidAckLogAfter),
                     " (LA-MPS.md §7.3); check the partner's signing key"));
  }
  return false;
}

void FileDropTransport::Engine::PollSends() {
  std::vector<std::string> ids;
  ids.reserve(pending_.size());
  for (const auto& [id, pending] : pending_) ids.push_back(id);
  for (const std::string& id : ids) {
    if (CheckAck(id)) continue;
    auto it = pending_.find(id);
    if (it == pending_.end()) continue;
    if (Now() - it->second.last_written < options_.redelivery_interval)
      continue;
    // §7.3: rewrite the same bytes so that the transfer carries them again.
    if (absl::Status written = WriteMessage(id, it->second); !written.ok()) {
      PartnerAnswer failed;
      failed.status = std::move(written);
      Complete(id, std::move(failed));
    }
  }
}

// ---------------------------------------------------------------------------
// Receiving (§7.2 steps 1-4)

void FileDropTransport::Engine::PollInbox(InboundReceiver* receiver) {
  absl::StatusOr<std::vector<std::string>> names = ListNames(inbox_);
  if (!names.ok()) {
    Log(absl::StrCat("cannot list inbox/: ", names.status().message()));
    return;
  }
  absl::flat_hash_set<std::string> with_done;
  absl::flat_hash_set<std::string> without_done;  // .csv or .sig seen
  for (const std::string& name : *names) {
    std::optional<ParsedName> parsed = ParseName(name);
    if (!parsed) continue;
    switch (parsed->kind) {
      case FileKind::kDone:
        with_done.insert(parsed->id);
        break;
      case FileKind::kCsv:
      case FileKind::kSig:
        without_done.insert(parsed->id);
        break;
      case FileKind::kAck:  // receipts for our Sends: PollSends
        break;
    }
  }
  for (const std::string& id : with_done) {
    without_done.erase(id);
    ProcessInbound(id, receiver);
  }

  const absl::Time now = Now();
  for (const std::string& id : without_done) {
    auto [it, inserted] = orphans_.try_emplace(id, Orphan{now, false});
    if (!it->second.logged && now - it->second.since >= kOrphanLogAfter) {
      it->second.logged = true;
      Log(absl::StrCat(id, ": .csv/.sig in inbox/ without a .done for ",
                       absl::FormatDuration(kOrphanLogAfter),
                       "; not processed (LA-MPS.md §7.4)"));
    }
  }
  // Forget ids whose files the partner has removed.
  absl::erase_if(orphans_, [&](const auto& entry) {
    return !without_done.contains(entry.first);
  });
  absl::erase_if(inbound_, [&](const auto& entry) {
    return !entry.second.in_flight && !with_done.contains(entry.first);
  });
}

void FileDropTransport::Engine::ProcessInbound(const std::string& id,
                                               InboundReceiver* receiver) {
  Inbound& state = inbound_[id];
  if (state.in_flight) return;
  const std::string csv_path = JoinPath(inbox_, absl::StrCat(id, ".csv"));
  const std::string sig_path = JoinPath(inbox_, absl::StrCat(id, ".sig"));
  const std::string done_path = JoinPath(inbox_, absl::StrCat(id, ".done"));
  // Taken before reading: if a file changes while it is read, the next
  // poll sees a new stamp and reads it again.
  const MessageStamp stamp{StampOf(csv_path), StampOf(sig_path),
                           StampOf(done_path)};
  if (!stamp.done.exists) return;
  if (state.processed && *state.processed == stamp) return;
  if (state.unanswered && *state.unanswered == stamp &&
      Now() < state.unanswered_retry_at) {
    return;
  }
  // A CORRUPT .ack was written for exactly these files: they cannot have
  // become complete without changing.
  if (state.corrupt_written && *state.corrupt_written == stamp) return;

  std::optional<std::string> csv, sig;
  std::string done;
  std::string read_error;
  auto read = [&](const std::string& path, size_t max_bytes,
                  std::optional<std::string>* out) {
    absl::StatusOr<std::string> bytes = ReadWholeFile(path, max_bytes);
    if (bytes.ok()) {
      *out = *std::move(bytes);
    } else if (!absl::IsNotFound(bytes.status()) && read_error.empty()) {
      read_error = std::string(bytes.status().message());
    }
  };
  std::optional<std::string> done_bytes;
  read(done_path, kMaxDoneBytes, &done_bytes);
  if (!done_bytes) {
    if (read_error.empty()) return;  // removed since the listing
  } else {
    done = *std::move(done_bytes);
    read(csv_path, kMaxCsvBytes, &csv);
    read(sig_path, kMaxSigBytes, &sig);
    if ((csv && csv->size() > kMaxCsvBytes) ||
        (sig && sig->size() > kMaxSigBytes)) {
      if (read_error.empty()) {
        read_error = absl::StrCat("the .csv is over ", kMaxCsvBytes,
                                  " bytes or the .sig over ", kMaxSigBytes,
                                  "; not read");
      }
    }
  }
  if (!read_error.empty()) {
    // Our own problem (permissions, I/O), not the partner's: no CORRUPT.
    if (!state.read_error_logged) {
      state.read_error_logged = true;
      Log(absl::StrCat(id, ": cannot read the message: ", read_error));
    }
    return;
  }
  state.read_error_logged = false;

  const std::string what_is_wrong = WhatIsIncomplete(id, done, csv, sig);
  const absl::Time now = Now();
  if (what_is_wrong.empty()) {
    state.incomplete_since.reset();
    state.corrupt_written.reset();
    if (SettledByOwnAck(id, stamp, *csv, state)) return;
    state.in_flight = true;
    PartnerMessage message;
    message.message_id = id;
    message.content_type = kInboundContentType;
    message.bytes = *std::move(csv);
    message.metadata = {{kSigFile, *std::move(sig)},
                        {kDoneFile, std::move(done)}};
    auto kept = std::make_shared<const PartnerMessage>(message);
    std::weak_ptr<Shared> weak_shared = shared_;
    receiver->Receive(options_.peer_agency, std::move(message),
                      [weak_shared, id, stamp, kept](InboundAnswer answer) {
                        std::shared_ptr<Shared> shared = weak_shared.lock();
                        if (shared == nullptr)
                          return;  // transport gone: see Stop()
                        absl::MutexLock lock(&shared->mu);
                        if (shared->stopping) return;
                        shared->answers.push_back(
                            ReceivedAnswer{id, stamp, kept, std::move(answer)});
                      });
    return;
  }

  if (!state.incomplete_since) state.incomplete_since = now;
  if (now - *state.incomplete_since < options_.incomplete_grace) return;
  // An id already in a final state keeps its final .ack: a CORRUPT one
  // would erase that state (§7.2 step 3 allows either), and the complete
  // files, when they come, get the stored .ack again.
  if (HasFinalOwnAck(id)) {
    if (!(state.corrupt_written && *state.corrupt_written == stamp)) {
      Log(absl::StrCat(id,
                       ": incomplete files under an id already answered; "
                       "our final .ack is kept: ",
                       what_is_wrong));
    }
    state.corrupt_written = stamp;
    return;
  }
  absl::StatusOr<std::string> ack = protocol_->MakeIncompleteAck(
      id, csv ? *csv : std::string(), what_is_wrong);
  if (!ack.ok()) {
    Log(absl::StrCat(
        id, ": cannot make the CORRUPT .ack: ", ack.status().message()));
    return;
  }
  if (absl::Status written =
          WriteFileAtomically(outbox_, absl::StrCat(id, ".ack"), *ack);
      !written.ok()) {
    Log(absl::StrCat(id,
                     ": cannot write the CORRUPT .ack: ", written.message()));
    return;
  }
  state.corrupt_written = stamp;
  Log(absl::StrCat(id, ": incomplete since ",
                   absl::FormatTime(*state.incomplete_since),
                   "; CORRUPT .ack written: ", what_is_wrong));
}

// An id in a final state is never processed again (§7.2 step 4), and the
// gateway cannot be relied on for it: it would answer a REJECTED message
// anew (another received_at, another audit entry) and refuse a conflict
// again at every change of the files. Our final .ack in outbox/ is the
// record of that state. Returns true when the files are not to be handed
// over: the id is final (exact duplicate, or conflict), or our .ack could
// not be read or written again (tried again at the next poll, since the
// files are then not marked processed).
bool FileDropTransport::Engine::HasFinalOwnAck(const std::string& id) const {
  const std::string name = absl::StrCat(id, ".ack");
  for (const std::string& dir : {outbox_, kept_}) {
    absl::StatusOr<std::string> own =
        ReadWholeFile(JoinPath(dir, name), kMaxAckBytes);
    if (own.ok() && protocol_->InspectOwnAck(id, *own, /*csv_sha256=*/"") !=
                        FileDropProtocol::OwnAckKind::kNone) {
      return true;
    }
  }
  return false;
}

bool FileDropTransport::Engine::SettledByOwnAck(const std::string& id,
                                                const MessageStamp& stamp,
                                                absl::string_view csv,
                                                Inbound& state) {
  const std::string name = absl::StrCat(id, ".ack");
  std::string path = JoinPath(outbox_, name);
  FileStamp ack_stamp = StampOf(path);
  if (!ack_stamp.exists) {
    // Cleared from outbox/ after 30 days, but still remembered.
    path = JoinPath(kept_, name);
    ack_stamp = StampOf(path);
    if (!ack_stamp.exists) return false;
  }
  absl::StatusOr<std::string> ack = ReadWholeFile(path, kMaxAckBytes);
  if (!ack.ok()) {
    if (absl::IsNotFound(ack.status())) return false;  // gone since the stat
    if (!state.own_ack_read_error_logged) {
      state.own_ack_read_error_logged = true;
      Log(absl::StrCat(id, ": cannot read our .ack: ", ack.status().message()));
    }
    return true;
  }
  state.own_ack_read_error_logged = false;
  switch (protocol_->InspectOwnAck(id, *ack, gw::crypto::Sha256Hex(csv))) {
    case FileDropProtocol::OwnAckKind::kNone:
      return false;
    case FileDropProtocol::OwnAckKind::kSameMessage: {
      // The partner rewrote the files (it has not seen our .ack): send the
      // stored .ack again, same bytes, by §3.2, so the transfer carries it.
      // Files already processed in this run reach this point only when
      // they changed. After a restart nothing is remembered, and only files
      // written after our .ack count as rewritten, so that a restart does
      // not rewrite the .ack of every answered message still in inbox/ (an
      // equal mtime counts as not rewritten: the partner's next
      // redelivery is newer).
      const bool rewritten = state.processed.has_value() ||
                             stamp.csv.mtime_ns > ack_stamp.mtime_ns ||
                             stamp.sig.mtime_ns > ack_stamp.mtime_ns ||
                             stamp.done.mtime_ns > ack_stamp.mtime_ns;
      if (rewritten) {
        if (absl::Status written = WriteFileAtomically(outbox_, name, *ack);
            !written.ok()) {
          Log(absl::StrCat(id,
                           ": cannot write our .ack again: ", written.message(),
                           "; tried again at the next poll"));
          return true;
        }
        Log(absl::StrCat(id,
                         ": exact duplicate of a message already answered; "
                         "our .ack written again (LA-MPS.md §7.2 step 4)"));
      }
      state.processed = stamp;
      return true;
    }
    case FileDropProtocol::OwnAckKind::kConflict:
      // Once per version of the files: they count as processed until they
      // change.
      Log(absl::StrCat(
          "conflicting reuse of message id ", id,
          ": complete files in inbox/ whose .csv differs from the one our "
          "final .ack answers; .ack kept unchanged, files not examined "
          "(LA-MPS.md §7.2 step 4); operator attention"));
      state.processed = stamp;
      return true;
  }
  return false;
}

void FileDropTransport::Engine::FinishInbound(ReceivedAnswer received) {
  auto state = inbound_.find(received.id);
  if (state != inbound_.end()) state->second.in_flight = false;
  absl::StatusOr<std::optional<PartnerMessage>> ack = answers_->EncodeAnswer(
      options_.peer_agency, *received.received, received.answer);
  if (!ack.ok()) {
    Log(absl::StrCat(received.id, ": cannot encode the .ack (",
                     ack.status().ToString(),
                     "); the message is handed over again at the next poll"));
    return;
  }
  // No answer prescribed (e.g. held for an unknown key): not processed, so
  // a later poll hands it over again, backing off while nothing changes.
  if (!ack->has_value()) {
    if (state != inbound_.end()) {
      Inbound& held = state->second;
      const bool again = held.unanswered && *held.unanswered == received.stamp;
      held.unanswered_delay =
          again ? std::min(held.unanswered_delay * 2, kMaxUnansweredDelay)
                : options_.poll_interval;
      held.unanswered = received.stamp;
      held.unanswered_retry_at = Now() + held.unanswered_delay;
    }
    return;
  }
  if (absl::Status written = WriteFileAtomically(
          outbox_, absl::StrCat(received.id, ".ack"), (*ack)->bytes);
      !written.ok()) {
    Log(absl::StrCat(received.id,
                     ": cannot write the .ack: ", written.message(),
                     "; the message is handed over again at the next poll"));
    return;
  }
  if (state != inbound_.end()) state->second.processed = received.stamp;
}

// ---------------------------------------------------------------------------
// Clean-up (§7.5): outbox/ only.

void FileDropTransport::Engine::CleanUp() {
  absl::StatusOr<std::vector<std::string>> names = ListNames(outbox_);
  if (!names.ok()) {
    Log(absl::StrCat("cannot list outbox/: ", names.status().message()));
    return;
  }
  const absl::Time now = Now();
  absl::flat_hash_set<std::string> messages;
  for (const std::string& name : *names) {
    const std::string path = JoinPath(outbox_, name);
    if (absl::EndsWith(name, kTmpSuffix)) {
      // Only this thread writes here (the link root is locked), so a .tmp
      // is what an interrupted write left behind.
      absl::string_view target = name;
      target.remove_suffix(std::strlen(kTmpSuffix));
      struct stat st;
      if (ParseName(target) && ::lstat(path.c_str(), &st) == 0 &&
          S_ISREG(st.st_mode) && ::unlink(path.c_str()) != 0 && errno != ENOENT)
        Log(absl::StrCat("cannot delete ", path, ": ", std::strerror(errno)));
      continue;
    }
    std::optional<ParsedName> parsed = ParseName(name);
    if (!parsed) continue;
    if (parsed->kind != FileKind::kAck) {
      messages.insert(parsed->id);
      continue;
    }
    const FileStamp stamp = StampOf(path);
    if (!stamp.exists || now - stamp.mtime() < options_.ack_retention) {
      continue;
    }
    // A final .ack of ours leaves outbox/ (§7.5) but is kept: it is the
    // memory of the id's final state (§7.2).
    absl::StatusOr<std::string> bytes = ReadWholeFile(path, kMaxAckBytes);
    const bool final_ack =
        bytes.ok() && protocol_->InspectOwnAck(parsed->id, *bytes, "") !=
                          FileDropProtocol::OwnAckKind::kNone;
    if (final_ack) {
      if (::rename(path.c_str(), JoinPath(kept_, name).c_str()) != 0) {
        Log(absl::StrCat("cannot keep ", path, ": ", std::strerror(errno)));
      } else {
        (void)FsyncDirectory(kept_);
        (void)FsyncDirectory(outbox_);
      }
    } else if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
      Log(absl::StrCat("cannot delete ", path, ": ", std::strerror(errno)));
    }
  }
  // Kept receipts go when the final state need no longer be remembered.
  if (absl::StatusOr<std::vector<std::string>> kept = ListNames(kept_);
      kept.ok()) {
    for (const std::string& name : *kept) {
      std::optional<ParsedName> parsed = ParseName(name);
      if (!parsed || parsed->kind != FileKind::kAck) continue;
      const std::string path = JoinPath(kept_, name);
      const FileStamp stamp = StampOf(path);
      if (stamp.exists &&
          now - stamp.mtime() >= options_.final_state_retention &&
          ::unlink(path.c_str()) != 0 && errno != ENOENT) {
        Log(absl::StrCat("cannot delete ", path, ": ", std::strerror(errno)));
      }
    }
  }

  for (const std::string& id : messages) {
    if (pending_.contains(id)) continue;
    auto final_it = finals_.find(id);
    if (final_it == finals_.end()) {
      NoteUnclaimedMessage(id);
      final_it = finals_.find(id);
      if (final_it == finals_.end()) continue;
    }
    if (now - final_it->second < options_.message_retention) continue;
    bool deleted = true;
    // .done first: a partly deleted message is then "no .done yet" to the
    // partner, never an incomplete one.
    for (const char* ext : {".done", ".csv", ".sig"}) {
      const std::string path = JoinPath(outbox_, absl::StrCat(id, ext));
      if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        Log(absl::StrCat("cannot delete ", path, ": ", std::strerror(errno)));
        deleted = false;
        break;
      }
    }
    if (deleted) {
      finals_.erase(final_it);
      unclaimed_acks_.erase(id);
    }
  }
  absl::erase_if(finals_, [&](const auto& entry) {
    return !messages.contains(entry.first);
  });
  absl::erase_if(unclaimed_acks_, [&](const auto& entry) {
    return !messages.contains(entry.first);
  });
}

void FileDropTransport::Engine::NoteUnclaimedMessage(const std::string& id) {
  // Files of ours with no Send waiting: written before a restart. If the
  // partner's final .ack is in inbox/, the delivery is over; its mtime
  // stands for when it was processed, so that restarts do not put the
  // clean-up off for ever.
  const std::string path = JoinPath(inbox_, absl::StrCat(id, ".ack"));
  const FileStamp stamp = StampOf(path);
  if (!stamp.exists) return;
  auto seen = unclaimed_acks_.find(id);
  if (seen != unclaimed_acks_.end() && seen->second == stamp) return;
  absl::StatusOr<std::string> bytes = ReadWholeFile(path, kMaxAckBytes);
  if (!bytes.ok()) return;
  unclaimed_acks_[id] = stamp;
  if (protocol_->InspectAck(id, *bytes) == FileDropProtocol::AckKind::kFinal)
    finals_[id] = std::min(Now(), stamp.mtime());
}

// ---------------------------------------------------------------------------
// FileDropTransport

absl::StatusOr<std::unique_ptr<FileDropTransport>> FileDropTransport::Create(
    FileDropOptions options, const FileDropProtocol* protocol,
    const AnswerEncoder* answers) {
  if (options.link_root.empty())
    return absl::InvalidArgumentError("link_root: must not be empty");
  if (options.peer_agency.empty())
    return absl::InvalidArgumentError("peer_agency: must not be empty");
  if (options.poll_interval < kMinPollIntervalForTest ||
      options.poll_interval > kMaxPollInterval) {
    return absl::InvalidArgumentError(absl::StrCat(
        "poll_interval: ", absl::FormatDuration(options.poll_interval),
        ", want ", absl::FormatDuration(kMinPollInterval), " .. ",
        absl::FormatDuration(kMaxPollInterval), " (LA-MPS.md §2.3)"));
  }
  const std::pair<const char*, absl::Duration> durations[] = {
      {"incomplete_grace", options.incomplete_grace},
      {"redelivery_interval", options.redelivery_interval},
      {"message_retention", options.message_retention},
      {"ack_retention", options.ack_retention},
      {"final_state_retention", options.final_state_retention}};
  for (const auto& [name, value] : durations) {
    if (value <= absl::ZeroDuration())
      return absl::InvalidArgumentError(
          absl::StrCat(name, ": must be positive"));
  }
  if (!options.clock) return absl::InvalidArgumentError("clock: must be set");
  if (protocol == nullptr)
    return absl::InvalidArgumentError("protocol: must not be null");
  if (answers == nullptr)
    return absl::InvalidArgumentError("answers: must not be null");

  while (options.link_root.size() > 1 && options.link_root.back() == '/')
    options.link_root.pop_back();
  const std::string outbox = JoinPath(options.link_root, "outbox");
  for (const std::string& dir :
       {options.link_root, outbox, JoinPath(options.link_root, "inbox"),
        JoinPath(options.link_root, kKeptDirectory)}) {
    if (absl::Status made = EnsureDirectory(dir); !made.ok()) return made;
  }
  const int lock_fd =
      ::open(outbox.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (lock_fd < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("link_root: ", outbox, ": ", std::strerror(errno)));
  }
  // Two writers of one outbox/ would delete each other's .tmp files and
  // answer the same messages twice. File systems without flock(2) support
  // run unlocked.
  if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0 && errno == EWOULDBLOCK) {
    ::close(lock_fd);
    return absl::FailedPreconditionError(
        absl::StrCat("link_root: ", options.link_root,
                     " is in use by another file_drop transport"));
  }
  auto engine =
      std::make_unique<Engine>(std::move(options), protocol, answers, lock_fd);
  engine->Start();
  return std::unique_ptr<FileDropTransport>(
      new FileDropTransport(std::move(engine)));
}

FileDropTransport::FileDropTransport(std::unique_ptr<Engine> engine)
    : engine_(std::move(engine)) {}

FileDropTransport::~FileDropTransport() { Stop(); }

void FileDropTransport::Send(const PartnerMessage& message, SendDone done) {
  engine_->Send(message, std::move(done));
}

absl::Status FileDropTransport::StartReceiving(InboundReceiver* receiver) {
  return engine_->StartReceiving(receiver);
}

void FileDropTransport::Stop() { engine_->Stop(); }

uint64_t FileDropTransport::CompletedPollsForTest() const {
  return engine_->CompletedPolls();
}

}  // namespace gw::adapters
