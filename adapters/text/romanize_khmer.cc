// adapters/text/romanize_khmer.cc
//
// Khmer romanization following the UNGEGN system (the United Nations
// system for Khmer geographical names, resolution II/10 of 1972, based on
// BGN/PCGN 1972: Phnum Penh, Siem Reab, Batdambang, Kampong Cham), with
// its accents folded to ASCII (â ô ĕ ĭ ŏ ŭ é ê œ ă -> a o e i o u e e oe
// a). The complete tables are in docs/ROMANIZATION.md, which must be kept
// in step with this file.
//
// Khmer consonants belong to two series (registers); a dependent vowel is
// read according to the series of the consonant (cluster) it is written
// on. ៉ moves a consonant to the first series, ៊ to the second; a
// first-series consonant with a second-series non-sonorant subscript
// (ស្ព) reads in the second series. A word is cut into units: a consonant
// or independent vowel with its subscripts (COENG U+17D2 + consonant) and
// marks. Then:
//  * a unit with a vowel sign, ំ, ះ, ៈ or ័ (or an independent vowel) is
//    the start of a syllable;
//  * a unit with ់ (bantoc) and no vowel is a final consonant;
//  * a unit with ៍ (toandakhiat) is silent;
//  * a subscript cluster inside a word (not word-initial, and not ្រ)
//    splits: its first consonant closes the previous syllable and the
//    subscript begins the next (សាកល្បង sa-kal-bang, អង្គារ ang-kear);
//  * a unit with no vowel closes an open syllable when it is the last of
//    the word, or when the open syllable has a written vowel and a vowel
//    follows (សុខហា sokh-ha); otherwise it begins a syllable with the
//    inherent vowel (a in the first series, o in the second).
// Khmer digits become ASCII digits; punctuation, lunar-date symbols, ៌ ៎ ៏
// ៑ ៓ ៝ and the invisible U+17B4/U+17B5 are not romanized.
#include <string>
#include <string_view>
#include <vector>

#include "adapters/text/romanize_internal.h"

namespace gw::text::internal {
namespace {

constexpr char32_t kCoeng = 0x17D2;
constexpr char32_t kNikahit = 0x17C6;        // ំ
constexpr char32_t kReahmuk = 0x17C7;        // ះ
constexpr char32_t kYuukaleapintu = 0x17C8;  // ៈ
constexpr char32_t kMuusikatoan = 0x17C9;    // ៉ to the first series
constexpr char32_t kTriisap = 0x17CA;        // ៊ to the second series
constexpr char32_t kBantoc = 0x17CB;         // ់
constexpr char32_t kToandakhiat = 0x17CD;    // ៍ silent
constexpr char32_t kSamyokSannya = 0x17D0;   // ័

struct Consonant {
  char32_t c;
  std::string_view latin;
  int series;
  bool sonorant;
};

constexpr Consonant kConsonants[] = {
    {U'ក', "k", 1, false},   {U'ខ', "kh", 1, false}, {U'គ', "k", 2, false},
    {U'ឃ', "kh", 2, false},  {U'ង', "ng", 2, true},  {U'ច', "ch", 1, false},
    {U'ឆ', "chh", 1, false}, {U'ជ', "ch", 2, false}, {U'ឈ', "chh", 2, false},
    {U'ញ', "nh", 2, true},   {U'ដ', "d", 1, false},  {U'ឋ', "th", 1, false},
    {U'ឌ', "d", 2, false},   {U'ឍ', "th", 2, false}, {U'ណ', "n", 1, true},
    {U'ត', "t", 1, false},   {U'ថ', "th", 1, false}, {U'ទ', "t", 2, false},
    {U'ធ', "th", 2, false},  {U'ន', "n", 2, true},   {U'ប', "b", 1, false},
    {U'ផ', "ph", 1, false},  {U'ព', "p", 2, false},  {U'ភ', "ph", 2, false},
    {U'ម', "m", 2, true},    {U'យ', "y", 2, true},   {U'រ', "r", 2, true},
    {U'ល', "l", 2, true},    {U'វ', "v", 2, true},   {U'ឝ', "s", 1, false},
    {U'ឞ', "s", 1, false},   {U'ស', "s", 1, false},  {U'ហ', "h", 1, false},
    {U'ឡ', "l", 1, true},    {U'អ', "", 1, false},
};

struct IndependentVowel {
  char32_t c;
  std::string_view latin;
};

constexpr IndependentVowel kIndependentVowels[] = {
    {0x17A3, "a"},   {0x17A4, "a"}, {U'ឥ', "e"},  {U'ឦ', "ei"},  {U'ឧ', "o"},
    {0x17A8, "ouk"}, {U'ឩ', "u"},   {U'ឪ', "ou"}, {U'ឫ', "roe"}, {U'ឬ', "roe"},
    {U'ឭ', "loe"},   {U'ឮ', "loe"}, {U'ឯ', "e"},  {U'ឰ', "ai"},  {U'ឱ', "ao"},
    {U'ឲ', "aoy"},   {U'ឳ', "au"},
};

struct DependentVowel {
  char32_t c;
  std::string_view first;   // after a first-series consonant
  std::string_view second;  // after a second-series consonant
};

constexpr DependentVowel kDependentVowels[] = {
    {U'ា', "a", "ea"},    {U'ិ', "e", "i"},    {U'ី', "ei", "i"},
    {U'ឹ', "oe", "oe"},    {U'ឺ', "oe", "oe"},  {U'ុ', "o", "u"},
    {U'ូ', "o", "u"},      {U'ួ', "uo", "uo"},  {U'ើ', "aeu", "eu"},
    {U'ឿ', "oea", "oea"}, {U'ៀ', "ie", "ie"}, {U'េ', "e", "e"},
    {U'ែ', "e", "e"},     {U'ៃ', "ai", "ey"}, {U'ោ', "ao", "ou"},
    {U'ៅ', "au", "ou"},
};

const Consonant* ConsonantOf(char32_t c) {
  for (const Consonant& k : kConsonants) {
    if (k.c == c) return &k;
  }
  return nullptr;
}

const IndependentVowel* IndependentOf(char32_t c) {
  for (const IndependentVowel& v : kIndependentVowels) {
    if (v.c == c) return &v;
  }
  return nullptr;
}

const DependentVowel* DependentOf(char32_t c) {
  for (const DependentVowel& v : kDependentVowels) {
    if (v.c == c) return &v;
  }
  return nullptr;
}

bool IsMark(char32_t c) {
  return (c >= 0x17B4 && c <= 0x17D1) || c == 0x17D3 || c == 0x17DD;
}

bool IsDigit(char32_t c) {
  return (c >= 0x17E0 && c <= 0x17E9) || (c >= 0x17F0 && c <= 0x17F9);
}

struct Unit {
  char32_t base = 0;  // consonant or independent vowel; 0 for a stray mark
  std::vector<char32_t> subscripts;
  std::vector<char32_t> vowels;  // dependent vowels, in order
  bool nikahit = false;
  bool reahmuk = false;
  bool yuukaleapintu = false;
  bool samyok = false;
  bool bantoc = false;
  bool silent = false;
  int shift = 0;             // 1 or 2 when ៉ or ៊ sets the series
  bool forced_coda = false;  // the first consonant of a split cluster
  char digit = 0;

  bool independent() const { return IndependentOf(base) != nullptr; }
  bool nucleus() const {
    return !vowels.empty() || nikahit || reahmuk || yuukaleapintu || samyok ||
           independent();
  }

  int Series() const {
    if (shift != 0) return shift;
    const Consonant* k = ConsonantOf(base);
    if (k == nullptr) return 1;
    if (k->series == 1) {
      for (char32_t s : subscripts) {
        const Consonant* sub = ConsonantOf(s);
        if (sub != nullptr && sub->series == 2 && !sub->sonorant) return 2;
      }
    }
    return k->series;
  }

  // All consonant letters, as the start of a syllable or as its end.
  std::string Consonants() const {
    std::string out;
    if (const IndependentVowel* v = IndependentOf(base)) {
      out = std::string(v->latin);
    } else if (base == U'ប' && shift == 1) {
      out = "p";  // ប៉ is the p of loanwords
    } else if (const Consonant* k = ConsonantOf(base)) {
      out = std::string(k->latin);
    }
    for (size_t i = 0; i < subscripts.size(); ++i) {
      // ឲ already ends in y; ឲ្យ, its usual spelling, is still "aoy".
      if (i == 0 && base == U'ឲ' && subscripts[0] == U'យ') continue;
      if (const Consonant* k = ConsonantOf(subscripts[i])) out += k->latin;
    }
    return out;
  }

  // The vowel of a syllable starting at this unit; `closable` tells
  // whether a final consonant may follow.
  std::string Vowel(bool* closable) const {
    const bool first = Series() == 1;
    *closable = !(nikahit || reahmuk || yuukaleapintu);
    if (independent() && vowels.empty()) return "";
    std::vector<char32_t> v = vowels;
    // Two-part spellings of ើ and ោ.
    if (v.size() >= 2 && v[0] == U'េ' && v[1] == U'ី') v = {U'ើ'};
    if (v.size() >= 2 && v[0] == U'េ' && v[1] == U'ា') v = {U'ោ'};
    if (v.empty()) {
      if (nikahit) return first ? "am" : "um";
      if (reahmuk) return first ? "ah" : "eah";
      if (yuukaleapintu) return first ? "a" : "ea";
      if (samyok) return first ? "a" : "oa";
      return first ? "a" : "o";
    }
    if (v.size() == 1 && nikahit) {
      if (v[0] == U'ុ') return first ? "om" : "um";
      if (v[0] == U'ា') return first ? "am" : "oam";
    }
    if (v.size() == 1 && reahmuk) {
      if (v[0] == U'ុ') return first ? "oh" : "uh";
      if (v[0] == U'ិ') return first ? "eh" : "ih";
      if (v[0] == U'ា') return first ? "ah" : "eah";
      if (v[0] == U'ោ') return first ? "aoh" : "oh";
    }
    std::string out;
    for (char32_t c : v) {
      if (const DependentVowel* d = DependentOf(c)) {
        out += first ? d->first : d->second;
      }
    }
    if (nikahit) out += "m";
    if (reahmuk) out += "h";
    return out;
  }
};

std::vector<Unit> Units(const std::u32string& w) {
  std::vector<Unit> units;
  size_t i = 0;
  while (i < w.size()) {
    const char32_t c = w[i];
    if (IsDigit(c)) {
      Unit u;
      u.digit =
          static_cast<char>('0' + (c >= 0x17F0 ? c - 0x17F0 : c - 0x17E0));
      units.push_back(u);
      ++i;
      continue;
    }
    const bool starts = ConsonantOf(c) != nullptr || IndependentOf(c);
    if (!starts && !IsMark(c) && c != kCoeng) {
      ++i;  // punctuation and symbols
      continue;
    }
    Unit u;
    if (starts) {
      u.base = c;
      ++i;
    }
    while (i < w.size()) {
      const char32_t m = w[i];
      if (m == kCoeng) {
        if (i + 1 < w.size() && ConsonantOf(w[i + 1]) != nullptr) {
          u.subscripts.push_back(w[i + 1]);
          i += 2;
        } else {
          ++i;
        }
        continue;
      }
      if (!IsMark(m)) break;
      if (DependentOf(m) != nullptr) u.vowels.push_back(m);
      if (m == kNikahit) u.nikahit = true;
      if (m == kReahmuk) u.reahmuk = true;
      if (m == kYuukaleapintu) u.yuukaleapintu = true;
      if (m == kSamyokSannya) u.samyok = true;
      if (m == kBantoc) u.bantoc = true;
      if (m == kToandakhiat) u.silent = true;
      if (m == kMuusikatoan) u.shift = 1;
      if (m == kTriisap) u.shift = 2;
      ++i;
    }
    units.push_back(std::move(u));
  }
  return units;
}

// A subscript cluster inside a word is a final plus an initial: the
// cluster's first consonant becomes a unit of its own, a final.
std::vector<Unit> SplitMedialClusters(std::vector<Unit> units) {
  std::vector<Unit> out;
  for (size_t k = 0; k < units.size(); ++k) {
    Unit& u = units[k];
    const bool inside = !out.empty() && out.back().digit == 0;
    const bool more_follows = k + 1 < units.size();
    if (inside && !u.subscripts.empty() && u.subscripts[0] != U'រ' &&
        ConsonantOf(u.base) != nullptr && !u.silent &&
        (u.nucleus() || more_follows)) {
      Unit coda;
      coda.base = u.base;
      coda.forced_coda = true;
      out.push_back(coda);
      u.base = u.subscripts[0];
      u.subscripts.erase(u.subscripts.begin());
    }
    out.push_back(std::move(u));
  }
  return out;
}

}  // namespace

std::string RomanizeKhmerWord(const std::u32string& word) {
  const std::vector<Unit> units = SplitMedialClusters(Units(word));
  std::string out;
  bool open = false;       // a syllable has begun and has no final yet
  bool explicit_ = false;  // ... and its vowel is written
  for (size_t k = 0; k < units.size(); ++k) {
    const Unit& u = units[k];
    if (u.digit != 0) {
      out.push_back(u.digit);
      open = false;
      continue;
    }
    if (u.silent) continue;
    if (u.forced_coda || (u.bantoc && !u.nucleus())) {
      out += u.Consonants();
      open = false;
      continue;
    }
    if (u.nucleus()) {
      bool closable = true;
      out += u.Consonants();
      out += u.Vowel(&closable);
      open = closable;
      explicit_ = true;
      continue;
    }
    size_t next = k + 1;
    while (next < units.size() && units[next].silent) ++next;
    const bool last = next >= units.size() || units[next].digit != 0;
    const bool vowel_follows =
        !last && units[next].nucleus() && !units[next].forced_coda;
    if (open && (last || (explicit_ && vowel_follows))) {
      out += u.Consonants();
      open = false;
      continue;
    }
    bool closable = true;
    out += u.Consonants();
    out += u.Vowel(&closable);
    open = true;
    explicit_ = false;
  }
  return out;
}

}  // namespace gw::text::internal
