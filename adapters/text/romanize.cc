// adapters/text/romanize.cc
//
// RomanizeName splits the text into words at spaces, hyphens, apostrophes
// and dots (which are kept as separators: a space for dots), romanizes each
// word with its script's method, folds the result to ASCII letters and
// digits, and capitalises every word ("Ceshi", "Mali Thotlong"). The
// methods and their known limits are in docs/ROMANIZATION.md:
//  * Han: ICU "Han-Latin/Names" for family names and "Han-Latin" for given
//    names, ü written "yu" (lü -> lyu, the PRC passport rule), tones folded,
//    syllables of one word joined without apostrophes. For a full name
//    without spaces the family name is split off when it is a known
//    surname (kCompoundSurnames, then kSingleSurnames).
//  * Thai: ICU "Thai-Latin" (ISO 11940 transliteration), folded; the
//    spaces ICU puts between the words of a single name are removed.
//  * Burmese: the word is cut into syllables (a syllable starts at every
//    consonant or independent vowel that is not killed by asat, stacked by
//    virama or stacking on the previous one) and each syllable goes through
//    ICU "Myanmar-Latin", giving one capitalised word per syllable as in
//    Burmese names written in Latin ("Maung Maung").
//  * Lao and Khmer: romanize_lao.cc and romanize_khmer.cc.
// A character ICU leaves outside ASCII after folding is reported as having
// no romanization, with its offset (in code points of the input).
#include "adapters/text/romanize.h"

#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "adapters/text/romanize_internal.h"
#include "adapters/text/transliterate.h"
#include "adapters/text/utf8_check.h"

namespace gw::text {
namespace {

enum class Method { kLatin, kHan, kThai, kBurmese, kLao, kKhmer };

struct ScriptInfo {
  std::string_view code;  // ISO 15924
  UScriptCode icu;
  std::string_view name;  // for messages
  Method method;
};

constexpr ScriptInfo kScripts[] = {
    {"Latn", USCRIPT_LATIN, "Latin", Method::kLatin},
    {"Hani", USCRIPT_HAN, "Han", Method::kHan},
    {"Thai", USCRIPT_THAI, "Thai", Method::kThai},
    {"Mymr", USCRIPT_MYANMAR, "Myanmar", Method::kBurmese},
    {"Laoo", USCRIPT_LAO, "Lao", Method::kLao},
    {"Khmr", USCRIPT_KHMER, "Khmer", Method::kKhmer},
};

// Two-character family names, checked before the single ones so that
// 欧阳修 is Ouyang Xiu, not Ou Yangxiu. Simplified and traditional forms.
constexpr std::u32string_view kCompoundSurnames[] = {
    U"欧阳", U"歐陽", U"司马", U"司馬", U"诸葛", U"諸葛", U"上官", U"东方",
    U"東方", U"皇甫", U"尉迟", U"尉遲", U"公孙", U"公孫", U"慕容", U"令狐",
    U"夏侯", U"长孙", U"長孫", U"宇文", U"司徒", U"司空", U"端木", U"独孤",
    U"獨孤", U"南宫", U"南宮", U"西门", U"西門", U"百里", U"呼延", U"轩辕",
    U"軒轅", U"澹台", U"澹臺", U"万俟", U"萬俟", U"闻人", U"聞人", U"东郭",
    U"東郭", U"钟离", U"鍾離", U"赫连", U"赫連", U"公冶", U"太史", U"申屠",
    U"濮阳", U"濮陽", U"宗政", U"拓跋", U"司寇", U"左丘", U"第五",
};

// The commonest single-character family names (about 300, covering the
// great majority of Chinese people), simplified and traditional forms.
constexpr std::u32string_view kSingleSurnames =
    U"王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢"
    U"謝宋唐许許韩韓冯馮邓鄧曹彭曾肖萧蕭田董袁潘于於蒋蔣蔡余杜叶葉程苏蘇魏"
    U"吕呂丁任沈姚卢盧姜崔钟鍾鐘谭譚陆陸汪范範金石廖贾賈夏韦韋付傅方白邹鄒"
    U"孟熊秦邱丘江尹薛闫閆阎閻段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢严"
    U"嚴覃武戴莫孔向汤湯常温溫康施文牛樊葛邢安齐齊易乔喬伍庞龐颜顏倪庄莊聂"
    U"聶章鲁魯岳翟殷詹申欧歐耿关關兰蘭焦俞左柳甘祝包宁寧尚符舒阮柯纪紀梅童"
    U"凌毕畢单單季裴霍涂塗成苗谷盛曲翁冉骆駱蓝藍路游辛靳管柴蒙鲍鮑华華喻祁"
    U"蒲房滕屈饶饒解牟艾尤阳陽时時穆农農司卓古吉缪繆简簡车車项項连連芦蘆麦"
    U"麥褚娄婁窦竇戚岑景党黨宫宮费費卜冷晏席卫衛米柏宗瞿桂全佟应應臧闵閔苟"
    U"邬鄔边邊卞姬师師和仇栾欒隋商刁沙荣榮巫寇桑郎甄丛叢仲虞敖巩鞏明佘池乐"
    U"樂查朴区區盖蓋冼鄺邝官伏麻洪";

enum class Sep { kNone, kSpace, kHyphen, kApostrophe, kInvisible };

Sep SeparatorOf(char32_t c) {
  // Joiners and variation selectors change only how a word is drawn.
  if ((c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF)) {
    return Sep::kInvisible;
  }
  switch (c) {
    case 0x200C:  // zero width non-joiner
    case 0x200D:  // zero width joiner
    case 0x2060:  // word joiner
    case 0xFEFF:  // zero width no-break space (BOM)
      return Sep::kInvisible;
    case U' ':
    case 0x00A0:  // no-break space
    case 0x2009:  // thin space
    case 0x200B:  // zero width space (word breaks in Thai, Burmese, Khmer)
    case 0x3000:  // ideographic space
    case U'.':
    case 0x00B7:  // middle dot, between parts of transcribed names
    case 0x30FB:  // katakana middle dot, likewise
    case 0xFF0E:  // fullwidth full stop
      return Sep::kSpace;
    case U'-':
    case 0x2010:  // hyphen
    case 0x2011:  // non-breaking hyphen
      return Sep::kHyphen;
    case U'\'':
    case 0x2019:  // right single quotation mark
    case 0x02BC:  // modifier letter apostrophe
      return Sep::kApostrophe;
    default:
      return Sep::kNone;
  }
}

struct Token {
  Sep sep = Sep::kNone;  // kNone: a word
  std::u32string word;
  int64_t offset = 0;  // of the word's first code point in the input
};

std::string ToUtf8(std::u32string_view s) {
  std::string out;
  for (char32_t c : s) {
    // Every code point here came out of validated UTF-8.
    uint8_t buf[U8_MAX_LENGTH];
    int32_t n = 0;
    U8_APPEND_UNSAFE(buf, n, static_cast<UChar32>(c));
    out.append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
  }
  return out;
}

bool IsPunctuationOrSymbol(char32_t c) {
  const int32_t mask = U_GET_GC_MASK(static_cast<UChar32>(c));
  return (mask & (U_GC_P_MASK | U_GC_S_MASK)) != 0;
}

// Keeps ASCII letters (lowercased) and digits of an ICU transform's output
// and drops ASCII punctuation and spaces (ISO 11940's prime, the spaces
// Thai-Latin inserts between the words of one name). False if anything else
// is left, i.e. ICU had no romanization for some input character.
bool FoldAscii(std::string_view latin, std::string* out) {
  for (char ch : latin) {
    const auto u = static_cast<unsigned char>(ch);
    if (u >= 0x80) return false;
    if (absl::ascii_isalnum(ch)) out->push_back(absl::ascii_tolower(ch));
  }
  return true;
}

absl::Status NoRomanization(int64_t offset) {
  return absl::InvalidArgumentError(
      absl::StrCat("character at offset ", offset, " has no romanization"));
}

// Romanizes `word` with the ICU transform `id` and FoldAscii.
absl::StatusOr<std::string> ViaIcu(std::string_view id,
                                   std::u32string_view word) {
  absl::StatusOr<std::string> latin = Transliterate(id, ToUtf8(word));
  if (!latin.ok()) return latin.status();
  std::string out;
  if (!FoldAscii(*latin, &out)) {
    return absl::NotFoundError("no romanization");  // located by the caller
  }
  return out;
}

// The input offset of the character that ICU cannot romanize: the end of
// the shortest prefix that fails. Prefixes keep combining marks with their
// base. pieces[i] is what the word's i-th code point was turned into
// before transliteration.
absl::Status Locate(std::string_view id,
                    const std::vector<std::u32string>& pieces, int64_t offset) {
  std::u32string prefix;
  for (size_t i = 0; i < pieces.size(); ++i) {
    prefix += pieces[i];
    if (!ViaIcu(id, prefix).ok()) {
      return NoRomanization(offset + static_cast<int64_t>(i));
    }
  }
  return NoRomanization(offset);
}

std::vector<std::u32string> OnePerCodePoint(std::u32string_view word) {
  std::vector<std::u32string> pieces;
  for (char32_t c : word) pieces.emplace_back(1, c);
  return pieces;
}

// Han: one word of one name part, syllables joined.
absl::StatusOr<std::string> HanWord(std::u32string_view word, int64_t offset,
                                    bool family) {
  const std::string_view id = family ? "Han-Latin/Names" : "Han-Latin";
  absl::StatusOr<std::string> latin = Transliterate(id, ToUtf8(word));
  if (!latin.ok()) return latin.status();
  // PRC passports write ü as "yu" (吕 LYU, 女 NYU); Han-Latin writes ü
  // only after l and n.
  std::string text = absl::StrReplaceAll(*latin, {{"\u00FC", "yu"},
                                                  {"\u01D6", "yu"},
                                                  {"\u01D8", "yu"},
                                                  {"\u01DA", "yu"},
                                                  {"\u01DC", "yu"}});
  absl::StatusOr<std::string> ascii = Transliterate("Latin-ASCII", text);
  if (!ascii.ok()) return ascii.status();
  std::string out;
  if (!FoldAscii(*ascii, &out)) {
    return Locate(absl::StrCat(std::string(id), "; Latin-ASCII"),
                  OnePerCodePoint(word), offset);
  }
  return out;
}

absl::StatusOr<std::string> ThaiWord(const Token& t) {
  // ฯ (abbreviation) and ๆ (repetition) are letters to Unicode but marks
  // to a reader, and ICU turns them into symbols; ICU leaves ฺ (phinthu,
  // the Pali virama) as it is. They and punctuation become spaces, which
  // the folding drops (keeping offsets one for one).
  std::u32string letters;
  for (char32_t c : t.word) {
    const bool drop =
        IsPunctuationOrSymbol(c) || c == 0x0E2F || c == 0x0E46 || c == 0x0E3A;
    letters.push_back(drop ? U' ' : c);
  }
  constexpr std::string_view kId = "Thai-Latin; Latin-ASCII";
  absl::StatusOr<std::string> out = ViaIcu(kId, letters);
  if (out.status().code() == absl::StatusCode::kNotFound) {
    return Locate(kId, OnePerCodePoint(letters), t.offset);
  }
  return out;
}

bool IsMyanmarSyllableStart(char32_t c) {
  return (c >= 0x1000 && c <= 0x102A) || c == 0x103F ||
         (c >= 0x1040 && c <= 0x1049);
}

// Burmese: one space-separated romanized syllable per written syllable.
absl::StatusOr<std::string> BurmeseWord(const Token& t) {
  constexpr char32_t kVirama = 0x1039;
  constexpr char32_t kAsat = 0x103A;
  constexpr char32_t kDotBelow = 0x1037;
  constexpr std::string_view kId = "Myanmar-Latin; Latin-ASCII";
  const std::u32string& w = t.word;
  std::vector<size_t> starts;
  for (size_t i = 0; i < w.size(); ++i) {
    if (IsPunctuationOrSymbol(w[i])) continue;
    bool start = i == 0 || starts.empty();
    if (!start && IsMyanmarSyllableStart(w[i]) && w[i - 1] != kVirama) {
      size_t j = i + 1;
      while (j < w.size() && w[j] == kDotBelow) ++j;
      const bool killed = j < w.size() && (w[j] == kAsat || w[j] == kVirama);
      const bool digit_run = w[i] >= 0x1040 && w[i] <= 0x1049 &&
                             w[i - 1] >= 0x1040 && w[i - 1] <= 0x1049;
      start = !killed && !digit_run;
    }
    if (start) starts.push_back(i);
  }
  std::string out;
  for (size_t s = 0; s < starts.size(); ++s) {
    const size_t end = s + 1 < starts.size() ? starts[s + 1] : w.size();
    std::vector<std::u32string> pieces;
    std::u32string syllable;
    for (size_t i = starts[s]; i < end; ++i) {
      if (w[i] == 0x103F) {  // ဿ, great sa, is a ligature of သ္သ
        pieces.push_back(U"\u101E\u1039\u101E");
      } else if (IsPunctuationOrSymbol(w[i])) {
        pieces.push_back(U"");
      } else {
        pieces.emplace_back(1, w[i]);
      }
      syllable += pieces.back();
    }
    absl::StatusOr<std::string> latin = ViaIcu(kId, syllable);
    if (latin.status().code() == absl::StatusCode::kNotFound) {
      return Locate(kId, pieces, t.offset + static_cast<int64_t>(starts[s]));
    }
    if (!latin.ok()) return latin.status();
    if (latin->empty()) continue;
    if (!out.empty()) out.push_back(' ');
    out += *latin;
  }
  return out;
}

// Length of the family name at the start of a Han full name written
// without spaces, or 0 when it is not a known surname.
size_t HanFamilyLength(std::u32string_view name) {
  if (name.size() >= 2) {
    for (std::u32string_view compound : kCompoundSurnames) {
      if (name.substr(0, 2) == compound) return 2;
    }
  }
  if (!name.empty() &&
      kSingleSurnames.find(name[0]) != std::u32string_view::npos) {
    return 1;
  }
  return 0;
}

// 々 repeats the character before it; punctuation and symbols that
// Unicode counts as Han (「」, radicals) become spaces, which the folding
// drops. One code point stays one code point, so offsets are kept.
std::u32string ExpandIterationMark(std::u32string_view word) {
  std::u32string out;
  for (char32_t c : word) {
    if (c == 0x3005 && !out.empty()) {
      out.push_back(out.back());
    } else if (c == 0x3005 || IsPunctuationOrSymbol(c)) {
      out.push_back(U' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

// In a full name of several words the first word is the family name; a
// full name of one word starts with a known surname or is not split.
absl::StatusOr<std::string> HanToken(const Token& t, NamePart part,
                                     bool first_word, bool several_words) {
  const std::u32string word = ExpandIterationMark(t.word);
  switch (part) {
    case NamePart::kFamily:
      return HanWord(word, t.offset, /*family=*/true);
    case NamePart::kGiven:
      return HanWord(word, t.offset, /*family=*/false);
    case NamePart::kFull:
      break;
  }
  if (!first_word) return HanWord(word, t.offset, /*family=*/false);
  if (several_words) return HanWord(word, t.offset, /*family=*/true);
  const size_t family = HanFamilyLength(word);
  if (family == 0) return HanWord(word, t.offset, /*family=*/false);
  absl::StatusOr<std::string> family_latin =
      HanWord(std::u32string_view(word).substr(0, family), t.offset, true);
  if (!family_latin.ok() || family == word.size()) return family_latin;
  absl::StatusOr<std::string> given_latin =
      HanWord(std::u32string_view(word).substr(family),
              t.offset + static_cast<int64_t>(family), false);
  if (!given_latin.ok()) return given_latin;
  return absl::StrCat(*family_latin, " ", *given_latin);
}

// Upper case at the start of each word (after a space or hyphen), lower
// case elsewhere.
void Capitalize(std::string* s) {
  bool start = true;
  for (char& ch : *s) {
    if (absl::ascii_isalpha(ch)) {
      ch = start ? absl::ascii_toupper(ch) : absl::ascii_tolower(ch);
      start = false;
    } else if (ch == ' ' || ch == '-') {
      start = true;
    } else {
      start = false;
    }
  }
}

// Collapses runs of spaces and trims them at both ends.
std::string TidySpaces(std::string_view s) {
  std::string out;
  for (char ch : s) {
    if (ch == ' ' && (out.empty() || out.back() == ' ')) continue;
    out.push_back(ch);
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace

absl::StatusOr<std::string> RomanizeName(std::string_view script,
                                         std::string_view text, NamePart part) {
  const ScriptInfo* info = nullptr;
  for (const ScriptInfo& s : kScripts) {
    if (s.code == script) info = &s;
  }
  if (info == nullptr) {
    bool printable = script.size() == 4;
    for (char ch : script) printable = printable && absl::ascii_isalpha(ch);
    return absl::UnimplementedError(
        printable
            ? absl::StrCat("no romanization for script ", std::string(script))
            : std::string("no romanization for script (not an ISO "
                          "15924 code)"));
  }
  if (absl::Status s = internal::CheckUtf8(text); !s.ok()) return s;
  if (info->method == Method::kLatin) return std::string(text);

  // Words and separators, checking every character's script.
  std::vector<Token> tokens;
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  int64_t offset = 0;
  for (int32_t i = 0; i < length; ++offset) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    const char32_t cp = static_cast<char32_t>(c);
    if (const Sep sep = SeparatorOf(cp); sep == Sep::kInvisible) {
      continue;
    } else if (sep != Sep::kNone) {
      tokens.push_back(Token{sep, {}, offset});
      continue;
    }
    if (!uscript_hasScript(c, info->icu)) {
      return absl::InvalidArgumentError(
          absl::StrCat("character at offset ", offset, " is not ",
                       std::string(info->name), " script"));
    }
    if (tokens.empty() || tokens.back().sep != Sep::kNone) {
      tokens.push_back(Token{Sep::kNone, {}, offset});
    }
    tokens.back().word.push_back(cp);
  }

  size_t words = 0;
  for (const Token& t : tokens) words += t.sep == Sep::kNone ? 1 : 0;
  std::string out;
  bool first_word = true;
  for (const Token& t : tokens) {
    switch (t.sep) {
      case Sep::kSpace:
        out.push_back(' ');
        continue;
      case Sep::kHyphen:
        out.push_back('-');
        continue;
      case Sep::kApostrophe:
        out.push_back('\'');
        continue;
      case Sep::kInvisible:  // never a token
      case Sep::kNone:
        break;
    }
    absl::StatusOr<std::string> latin;
    switch (info->method) {
      case Method::kHan:
        latin = HanToken(t, part, first_word, words > 1);
        break;
      case Method::kThai:
        latin = ThaiWord(t);
        break;
      case Method::kBurmese:
        latin = BurmeseWord(t);
        break;
      case Method::kLao:
        latin = internal::RomanizeLaoWord(t.word);
        break;
      case Method::kKhmer:
        latin = internal::RomanizeKhmerWord(t.word);
        break;
      case Method::kLatin:
        break;
    }
    if (!latin.ok()) return latin.status();
    out += *latin;
    first_word = false;
  }
  out = TidySpaces(out);
  Capitalize(&out);
  return out;
}

}  // namespace gw::text
