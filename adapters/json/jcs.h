// adapters/json/jcs.h
//
// Strict JSON in and RFC 8785 canonical JSON (JCS) out, as the KH-CNP link
// exchanges it (KH-CNP.md §3.2), over nlohmann::json.
//
//  * ParseStrictJson: UTF-8 without a byte-order mark, one JSON value, no
//    duplicate member names in any object (a duplicate would let two
//    readers see two different messages), nesting at most 64 deep, numbers
//    integers only in 0 .. 2^53-1 (floats, exponents, negatives and larger
//    integers refused). Errors: INVALID_ARGUMENT with one line saying what
//    and at which byte offset (for the ICD's MALFORMED_JSON), or, for an
//    out-of-range number, naming its JSON Pointer. Messages never quote the
//    input. The status also carries a StrictJsonError (StrictJsonErrorOf)
//    so a codec can tell a malformed body from a number the schema forbids.
//    The offset is the number of bytes the parser had read when it stopped:
//    just past the offending token, or one byte further after a number.
//  * Canonical: members sorted by UTF-16 code units (RFC 8785 §3.2.3), no
//    insignificant white space, only the escapes JCS requires (\" \\ \b \f
//    \n \r \t and \u00XX for the other C0 controls, lowercase hex),
//    everything else as UTF-8 (DEL and C1 controls included). Values should
//    be objects, arrays, strings, booleans or non-negative integers (null
//    is written as null; callers omit empty members themselves, KH-CNP.md
//    §3.2). Other numbers are still written as RFC 8785 §3.2.2.3 says (the
//    ECMAScript form of the IEEE 754 double, so integers beyond 2^53 are
//    rounded); NaN and infinities, which JSON cannot carry, are written as
//    null. A string that is not valid UTF-8 (only possible for a value built
//    in code: the parser refuses it) has each bad byte written as U+FFFD.
// Thread safety: pure functions.
#ifndef GW_ADAPTERS_JSON_JCS_H_
#define GW_ADAPTERS_JSON_JCS_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace gw::json {

// KH-CNP.md §3.2 limits enforced by ParseStrictJson.
inline constexpr int kMaxStrictJsonDepth = 64;
inline constexpr std::uint64_t kMaxStrictJsonInteger =
    (std::uint64_t{1} << 53) - 1;

[[nodiscard]] absl::StatusOr<nlohmann::json> ParseStrictJson(
    std::string_view text);

std::string Canonical(const nlohmann::json& value);

// Why ParseStrictJson refused a text.
struct StrictJsonError {
  enum class Kind {
    kSyntax,           // not JSON: syntax, bad UTF-8, trailing bytes, empty
    kByteOrderMark,    // starts with U+FEFF (offset 0)
    kDuplicateMember,  // pointer: the member named twice
    kTooDeep,          // pointer: the array/object opened at depth 65
    kNumber,           // pointer: a float, negative or > 2^53-1 number
  };
  Kind kind = Kind::kSyntax;
  std::size_t offset = 0;  // bytes read when the parser stopped
  std::string pointer;     // RFC 6901, "" for kSyntax / kByteOrderMark
};

// The StrictJsonError a ParseStrictJson status carries, if any.
std::optional<StrictJsonError> StrictJsonErrorOf(const absl::Status& status);

}  // namespace gw::json

#endif  // GW_ADAPTERS_JSON_JCS_H_
