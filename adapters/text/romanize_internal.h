// adapters/text/romanize_internal.h
//
// Private to gw_text: the table-driven romanizers behind RomanizeName for
// the scripts ICU 72 has no transliterator for. Each takes one word (a run
// of code points of its script with no spaces, hyphens, apostrophes or
// dots; RomanizeName has already checked the script) and returns lowercase
// ASCII letters and digits only, never failing: every code point of the
// script is either romanized or, for punctuation and symbols, dropped.
// The tables and rules are listed in docs/ROMANIZATION.md.
// Thread safety: pure functions over constant tables.
#ifndef GW_ADAPTERS_TEXT_ROMANIZE_INTERNAL_H_
#define GW_ADAPTERS_TEXT_ROMANIZE_INTERNAL_H_

#include <string>

namespace gw::text::internal {

// BGN/PCGN 1966 Lao, folded to ASCII (romanize_lao.cc).
std::string RomanizeLaoWord(const std::u32string& word);

// UNGEGN 1972 Khmer, folded to ASCII (romanize_khmer.cc).
std::string RomanizeKhmerWord(const std::u32string& word);

}  // namespace gw::text::internal

#endif  // GW_ADAPTERS_TEXT_ROMANIZE_INTERNAL_H_
