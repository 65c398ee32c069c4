// adapters/text/romanize_lao.cc
//
// Lao romanization following the BGN/PCGN 1966 system (the French-based
// system of Lao geographical names, e.g. Savannakhet, Xiangkhouang,
// Louangphabang, Viangchan), with its accents folded to ASCII (é è ê ô ->
// e e e o) as identity documents do. The complete tables are in
// docs/ROMANIZATION.md, which must be kept in step with this file.
//
// A word is read syllable by syllable. A syllable is: an optional
// preposed vowel (ເ ແ ໂ ໃ ໄ), an initial consonant (with the silent ຫ of
// ຫງ ຫຍ ຫນ ຫມ ຫລ ຫວ ຫຣ, the ligatures ໜ ໝ, the subscript ຼ, and a medial
// ວ before a vowel, written "ou"), the rest of its vowel, and an optional
// final consonant. A consonant after a vowel is final unless a vowel sign
// follows it, or ອ/ວ used as a vowel of its own (then it begins the next
// syllable). Tone marks (່ ້ ໊ ໋) are not romanized; ໌ silences the
// consonant under it; ໆ repeats the previous syllable; Lao digits become
// ASCII digits; ຯ and the Pali marks ຺ ໎ are dropped. A consonant written
// with no vowel at all (old or Pali spellings) gets "a".
#include <string>
#include <string_view>

#include "adapters/text/romanize_internal.h"

namespace gw::text::internal {
namespace {

struct Consonant {
  char32_t c;
  std::string_view initial;
  std::string_view final;  // as the last sound of a syllable
};

// Finals outside the native eight (ກ ງ ດ ນ ບ ມ ຍ ວ) occur only in loans
// and are given the sound Lao gives them (k, t, p, n).
constexpr Consonant kConsonants[] = {
    {U'ກ', "k", "k"},    {U'ຂ', "kh", "k"},   {U'ຄ', "kh", "k"},
    {U'ຆ', "kh", "k"}, {U'ງ', "ng", "ng"},  {U'ຈ', "ch", "t"},
    {U'ຉ', "ch", "t"}, {U'ຊ', "x", "t"},    {U'ຌ', "x", "t"},
    {U'ຍ', "gn", "y"},   {U'ຎ', "gn", "n"}, {U'ຏ', "t", "t"},
    {U'ຐ', "th", "t"}, {U'ຑ', "th", "t"}, {U'ຒ', "th", "t"},
    {U'ຓ', "n", "n"},  {U'ດ', "d", "t"},    {U'ຕ', "t", "t"},
    {U'ຖ', "th", "t"},   {U'ທ', "th", "t"},   {U'ຘ', "th", "t"},
    {U'ນ', "n", "n"},    {U'ບ', "b", "p"},    {U'ປ', "p", "p"},
    {U'ຜ', "ph", "p"},   {U'ຝ', "f", "p"},    {U'ພ', "ph", "p"},
    {U'ຟ', "f", "p"},    {U'ຠ', "ph", "p"}, {U'ມ', "m", "m"},
    {U'ຢ', "y", "y"},    {U'ຣ', "r", "n"},    {U'ລ', "l", "n"},
    {U'ວ', "v", "o"},    {U'ຨ', "s", "t"},  {U'ຩ', "s", "t"},
    {U'ສ', "s", "t"},    {U'ຫ', "h", ""},     {U'ຬ', "l", "n"},
    {U'ອ', "", ""},      {U'ຮ', "h", ""},     {U'ໜ', "n", "n"},
    {U'ໝ', "m", "m"},    {U'ໞ', "g", "k"},    {U'ໟ', "gn", "y"},
};

const Consonant* ConsonantOf(char32_t c) {
  for (const Consonant& k : kConsonants) {
    if (k.c == c) return &k;
  }
  return nullptr;
}

bool IsConsonant(char32_t c) { return ConsonantOf(c) != nullptr; }

bool IsPreposed(char32_t c) { return c >= U'ເ' && c <= U'ໄ'; }

// Signs written after (or above/below) the initial that belong to the
// vowel: ະ ັ າ ຳ ິ ີ ຶ ື ຸ ູ ົ ຼ ຽ ໍ.
bool IsVowelSign(char32_t c) {
  return (c >= 0x0EB0 && c <= 0x0EB9) || c == 0x0EBB || c == 0x0EBC ||
         c == 0x0EBD || c == 0x0ECD;
}

// The sonorants that a silent ຫ combines with.
bool IsHoCombinable(char32_t c) {
  return c == U'ງ' || c == U'ຍ' || c == U'ນ' || c == U'ມ' || c == U'ລ' ||
         c == U'ວ' || c == U'ຣ';
}

class LaoReader {
 public:
  explicit LaoReader(std::u32string w) : w_(std::move(w)) {}

  std::string Read() {
    std::string out;
    std::string last_syllable;
    while (i_ < w_.size()) {
      const char32_t c = w_[i_];
      if (c >= 0x0ED0 && c <= 0x0ED9) {  // Lao digits
        out.push_back(static_cast<char>('0' + (c - 0x0ED0)));
        ++i_;
        continue;
      }
      if (c == U'ໆ') {
        out += last_syllable;
        ++i_;
        continue;
      }
      const size_t before = i_;
      last_syllable = Syllable();
      out += last_syllable;
      if (i_ == before) ++i_;  // a stray sign: never loop
    }
    return out;
  }

 private:
  char32_t At(size_t k) const { return k < w_.size() ? w_[k] : 0; }

  // Whether the consonant at k ends the current syllable rather than
  // beginning the next one.
  bool IsFinalAt(size_t k) const {
    if (!IsConsonant(At(k)) || At(k) == U'ອ') {
      // ອ after a vowel begins a syllable (ສະອາດ); handled by the caller.
      return false;
    }
    const char32_t next = At(k + 1);
    if (IsVowelSign(next)) return false;
    if (At(k) == U'ຫ' && IsHoCombinable(next)) return false;
    // ອ or ວ not followed by a vowel sign is the vowel of At(k): "Co",
    // "Coua".
    if ((next == U'ອ' || next == U'ວ') && !IsVowelSign(At(k + 2))) {
      return false;
    }
    return true;
  }

  std::string Initial() {
    const char32_t c = At(i_);
    if (c == U'ຫ' && IsHoCombinable(At(i_ + 1)) && !IsVowelSign(At(i_ + 1))) {
      ++i_;
      return std::string(ConsonantOf(w_[i_++])->initial);
    }
    const Consonant* k = ConsonantOf(c);
    if (k == nullptr) return "";
    ++i_;
    std::string out(k->initial);
    if (At(i_) == 0x0EBC) {  // ຼ, subscript lo: ຫຼ is "l"
      out = c == U'ຫ' ? "l" : out + "l";
      ++i_;
    }
    // Medial ວ before a vowel: ຂວາງ "khouang", ກວ່າ "koua".
    if (At(i_) == U'ວ' && c != U'ວ' &&
        (At(i_ + 1) == U'າ' || At(i_ + 1) == U'ະ' || At(i_ + 1) == U'ັ' ||
         At(i_ + 1) == U'ິ' || At(i_ + 1) == U'ີ' || At(i_ + 1) == U'ຽ')) {
      out += "ou";
      ++i_;
    }
    return out;
  }

  // The vowel after the initial, given the preposed vowel (0 if none).
  // Sets can_close_ to whether a final consonant may follow.
  std::string Vowel(char32_t pre) {
    const char32_t a = At(i_);
    const char32_t b = At(i_ + 1);
    can_close_ = true;
    auto take = [this](size_t n, std::string_view v, bool can_close) {
      i_ += n;
      can_close_ = can_close;
      return std::string(v);
    };
    switch (pre) {
      case U'ເ':
        if (a == U'ະ') return take(1, "e", false);
        if (a == U'ັ' && b == U'ຍ') return take(2, "ia", false);
        if (a == U'ັ') return take(1, "e", true);
        if (a == U'ົ' && b == U'າ') return take(2, "ao", false);
        if (a == U'າ' && b == U'ະ') return take(2, "o", false);
        if ((a == U'ຶ' || a == U'ື') && b == U'ອ') return take(2, "ua", true);
        if (a == U'ິ' || a == U'ີ') return take(1, "eu", true);
        if (a == U'ຍ' && !IsVowelSign(b)) return take(1, "ia", false);
        return take(0, "e", true);
      case U'ແ':
        if (a == U'ະ') return take(1, "e", false);
        if (a == U'ັ') return take(1, "e", true);
        return take(0, "e", true);
      case U'ໂ':
        if (a == U'ະ') return take(1, "o", false);
        return take(0, "o", true);
      case U'ໄ':
      case U'ໃ':
        return take(0, "ai", false);
      default:
        break;
    }
    switch (a) {
      case U'ະ':
        return take(1, "a", false);
      case U'ັ':
        if (b == U'ວ') return take(2, "oua", true);
        if (b == U'ອ') return take(2, "o", true);
        if (b == U'ຍ') return take(2, "ai", false);
        return take(1, "a", true);
      case U'າ':
        if (b == U'ຍ' && !IsVowelSign(At(i_ + 2))) {
          return take(2, "ai", false);  // -າຍ: BGN "ai"
        }
        return take(1, "a", true);
      case 0x0EB3:  // ຳ
        return take(1, "am", false);
      case U'ິ':
      case U'ີ':
        return take(1, "i", true);
      case U'ຶ':
      case U'ື':
        if (b == U'ອ') return take(2, "ua", true);
        return take(1, "u", true);
      case U'ຸ':
      case U'ູ':
        return take(1, "ou", true);
      case U'ົ':
        if (b == U'ວ') return take(2, "oua", false);  // open; closed is -ວ-
        return take(1, "o", true);
      case 0x0ECD:  // ໍ; ໍ + າ is the old spelling of ຳ
        if (b == U'າ') return take(2, "am", false);
        return take(1, "o", true);
      case U'ອ':
        if (!IsVowelSign(b)) return take(1, "o", true);
        break;
      case U'ວ':
        if (!IsVowelSign(b)) return take(1, "oua", true);
        break;
      case 0x0EBD:  // ຽ
        return take(1, "ia", true);
      default:
        break;
    }
    return take(0, "a", true);
  }

  std::string Syllable() {
    char32_t pre = 0;
    if (IsPreposed(At(i_))) pre = w_[i_++];
    std::string out = Initial();
    out += Vowel(pre);
    if (can_close_ && IsFinalAt(i_)) out += ConsonantOf(w_[i_++])->final;
    return out;
  }

  const std::u32string w_;
  size_t i_ = 0;
  bool can_close_ = true;
};

}  // namespace

std::string RomanizeLaoWord(const std::u32string& word) {
  // Marks that are not romanized, and ໌ with the consonant it silences.
  std::u32string w;
  for (char32_t c : word) {
    if ((c >= 0x0EC8 && c <= 0x0ECB) || c == 0x0EBA || c == 0x0ECE ||
        c == U'ຯ') {
      continue;  // tone marks, Pali virama, yamakkan, ellipsis
    }
    if (c == 0x0ECC) {  // ໌ cancellation mark
      if (!w.empty() && IsConsonant(w.back())) w.pop_back();
      continue;
    }
    if ((c >= 0x0E80 && c <= 0x0EFF) && !IsConsonant(c) && !IsVowelSign(c) &&
        !IsPreposed(c) && c != U'ໆ' && !(c >= 0x0ED0 && c <= 0x0ED9)) {
      continue;  // anything else of the block (unassigned, symbols)
    }
    w.push_back(c);
  }
  return LaoReader(std::move(w)).Read();
}

}  // namespace gw::text::internal
