// adapters/text/romanize.h
//
// Romanization of personal names, for partners that cannot carry a name's
// own script and for operators who cannot read it. Systems, complete
// tables and limitations: docs/ROMANIZATION.md.
//  * Han (Hani): ICU "Han-Latin/Names" for the family name (surname
//    readings: 单 Shan, 曾 Zeng, 区 Ou), "Han-Latin" for given names, tones
//    folded to ASCII, ü written "yu", syllables of one word joined and
//    capitalised as on a passport ("Ceshi", "Qiang"). kFull: the first
//    word is the family name; a one-word full name is split after a known
//    surname (李小龙 "Li Xiaolong") and otherwise not split.
//  * Thai (Thai): ICU "Thai-Latin" (ISO 11940), folded to ASCII.
//  * Burmese (Mymr): ICU "Myanmar-Latin", folded, one word per syllable
//    ("Maung Maung").
//  * Lao (Laoo) and Khmer (Khmr): ICU 72 has no transliterator, so these
//    use the project's own tables (romanize_lao.cc: BGN/PCGN 1966;
//    romanize_khmer.cc: UNGEGN 1972).
//  * Latin (Latn): returned unchanged (only checked to be UTF-8).
// Spaces, hyphens, apostrophes and dots in the input separate words and
// are kept (a dot as a space). Otherwise the result is ASCII letters, with
// digits for the script's own digits, each word capitalised.
// Errors: INVALID_ARGUMENT for input that is not UTF-8 ("input is not
// valid UTF-8 at byte offset N"), that contains a character of a script
// other than `script` ("character at offset N is not Lao script"), or a
// character the method cannot romanize ("character at offset N has no
// romanization"); offsets count code points. UNIMPLEMENTED "no
// romanization for script Xxxx" for any other script. Messages never
// contain the name itself.
// Thread safety: may be called concurrently.
#ifndef GW_ADAPTERS_TEXT_ROMANIZE_H_
#define GW_ADAPTERS_TEXT_ROMANIZE_H_

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace gw::text {

// Which part of a name the text is: Han family names read differently.
enum class NamePart { kFamily, kGiven, kFull };

// `script` is an ISO 15924 code (Hani, Thai, Mymr, Laoo, Khmr, Latn).
[[nodiscard]] absl::StatusOr<std::string> RomanizeName(std::string_view script,
                                                       std::string_view text,
                                                       NamePart part);

}  // namespace gw::text

#endif  // GW_ADAPTERS_TEXT_ROMANIZE_H_
