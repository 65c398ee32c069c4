// adapters/th_rtp/th_text.cc
//
// See th_text.h.
#include "adapters/th_rtp/th_text.h"

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "adapters/text/codepage.h"
#include "adapters/text/normalize.h"
#include "adapters/text/transliterate.h"
#include "adapters/th_rtp/records.h"

namespace gw::th_rtp {
namespace {

constexpr char kCodepage[] = "TIS-620";
constexpr size_t kLangBytes = 12;

// Field widths of the SB name slots (§3.13).
constexpr size_t kNamePartWidth = 60;
constexpr size_t kFullNameWidth = 120;

// UTF-8 <-> code points. The input has passed ToNfc, which rejects
// ill-formed UTF-8, so decoding need not handle errors.
std::u32string ToCodePoints(absl::string_view utf8) {
  std::u32string out;
  out.reserve(utf8.size());
  for (size_t i = 0; i < utf8.size();) {
    const unsigned char b = static_cast<unsigned char>(utf8[i]);
    int extra = b < 0x80 ? 0 : b < 0xE0 ? 1 : b < 0xF0 ? 2 : 3;
    char32_t c = extra == 0   ? b
                 : extra == 1 ? (b & 0x1F)
                 : extra == 2 ? (b & 0x0F)
                              : (b & 0x07);
    for (int k = 1; k <= extra && i + k < utf8.size(); ++k) {
      c = (c << 6) | (static_cast<unsigned char>(utf8[i + k]) & 0x3F);
    }
    out.push_back(c);
    i += 1 + extra;
  }
  return out;
}

std::string ToUtf8(const std::u32string& cps) {
  std::string out;
  out.reserve(cps.size());
  for (char32_t c : cps) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else if (c < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (c >> 12)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (c >> 18)));
      out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

// What the text may hold after §5.3 (R, plus LF in NR.TEXT).
enum class Target { kThaiField, kLatinField, kNarrative };

bool InSet(char32_t c, Target target) {
  if (c >= 0x20 && c <= 0x7E) return true;
  if (target == Target::kLatinField) return false;
  if (c == 0x0A) return target == Target::kNarrative;
  return (c >= 0x0E01 && c <= 0x0E3A) || (c >= 0x0E3F && c <= 0x0E5B);
}

// General category Cc: C0, DEL and C1.
bool IsControl(char32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

struct Prepared {
  std::u32string text;
  bool altered = false;
  bool representable = true;  // every character in the target set
};

// §5.3 steps 1-4 (step 4 only for fields: texts are sent whole or not at
// all, §5.4), then §5.2's trim.
absl::StatusOr<Prepared> Prepare(absl::string_view utf8, Target target) {
  absl::StatusOr<std::string> nfc =
      text::ToNfc(std::string_view(utf8.data(), utf8.size()));
  if (!nfc.ok()) return nfc.status();
  const std::u32string input = ToCodePoints(*nfc);

  // Step 2.
  Prepared out;
  std::u32string& t = out.text;
  t.reserve(input.size());
  for (size_t i = 0; i < input.size(); ++i) {
    char32_t c = input[i];
    if (c == U'\r') {
      if (i + 1 < input.size() && input[i + 1] == U'\n') ++i;
      c = U'\n';
    }
    if (c == U'\t') c = U' ';
    if (c == U'\n' && target != Target::kNarrative) c = U' ';
    if (c != U'\n' && IsControl(c)) continue;
    t.push_back(c);
  }
  out.altered = t != input;

  // Step 3.
  bool outside = false;
  for (char32_t c : t) outside = outside || !InSet(c, target);
  if (outside) {
    absl::StatusOr<std::string> folded =
        text::Transliterate(kFoldTransform, ToUtf8(t));
    if (!folded.ok()) return folded.status();
    std::u32string after = ToCodePoints(*folded);
    if (after != t) out.altered = true;
    t = std::move(after);
  }

  // Step 4 (fields) or the §5.4 test (texts).
  for (char32_t& c : t) {
    if (InSet(c, target)) continue;
    out.representable = false;
    if (target != Target::kNarrative) {
      c = U'?';
      out.altered = true;
    }
  }

  // §5.2: leading and trailing white space.
  auto is_space = [](char32_t c) { return c == U' ' || c == U'\n'; };
  size_t begin = 0, end = t.size();
  while (begin < end && is_space(t[begin])) ++begin;
  while (end > begin && is_space(t[end - 1])) --end;
  t = t.substr(begin, end - begin);
  return out;
}

// Step 5, and the §5.1 byte set, which is narrower than ICU's converter.
absl::StatusOr<std::string> Encode(const std::u32string& text, Target target) {
  absl::StatusOr<std::string> bytes =
      text::EncodeCodepage(kCodepage, ToUtf8(text));
  if (!bytes.ok()) return bytes.status();
  for (char ch : *bytes) {
    const unsigned char b = static_cast<unsigned char>(ch);
    const bool ok = target == Target::kLatinField ? IsAsciiFieldByte(b)
                    : b == 0x0A                   ? target == Target::kNarrative
                                                  : IsThaiFieldByte(b);
    if (!ok) {
      return absl::InternalError(absl::StrCat(
          "TIS-620 conversion produced byte 0x", absl::Hex(b, absl::kZeroPad2),
          " outside the permitted set (TH-RTP.md §5.1)"));
    }
  }
  return bytes;
}

absl::StatusOr<ConvertedField> ConvertPrepared(const Prepared& prepared,
                                               size_t width, Target target) {
  ConvertedField out;
  absl::StatusOr<std::string> bytes = Encode(prepared.text, target);
  if (!bytes.ok()) return bytes.status();
  out.bytes = *std::move(bytes);
  out.altered = prepared.altered;
  if (out.bytes.size() > width) {
    // Step 6: a Thai syllable is never split from its marks. The Latin
    // slot (A) is a plain cut.
    size_t cut = width;
    if (target != Target::kLatinField) {
      while (cut > 0 &&
             IsThaiCombiningByte(static_cast<unsigned char>(out.bytes[cut]))) {
        --cut;
      }
    }
    out.bytes.resize(cut);
    out.truncated = true;
    // A cut may leave a trailing space, which a reader takes for padding.
    while (!out.bytes.empty() && out.bytes.back() == ' ') out.bytes.pop_back();
  }
  return out;
}

Target ToTarget(FieldCharset charset) {
  return charset == FieldCharset::kLatin ? Target::kLatinField
                                         : Target::kThaiField;
}

bool IsSendableLang(absl::string_view lang) {
  if (lang.empty() || lang.size() > kLangBytes) return false;
  for (char c : lang) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '-') {
      return false;
    }
  }
  return true;
}

bool ScriptIs(const gw::v1::PersonName& name, absl::string_view script) {
  return absl::EqualsIgnoreCase(name.script(), script);
}

bool Blank(const ConvertedField& f) { return f.bytes.empty(); }

// §5.5 rule 4: the Latin slot generated from `source` with Any-Latin;
// Latin-ASCII. False if a part still holds a non-ASCII character (the
// slot then stays blank).
absl::StatusOr<bool> GenerateLatin(const gw::v1::PersonName& source,
                                   NameSlots* slots) {
  const std::string* parts[] = {&source.given(), &source.family(),
                                &source.full()};
  std::string romanized[3];
  for (int i = 0; i < 3; ++i) {
    if (parts[i]->empty()) continue;
    absl::StatusOr<std::string> nfc = text::ToNfc(*parts[i]);
    if (!nfc.ok()) return nfc.status();
    absl::StatusOr<std::string> latin =
        text::Transliterate(kRomanizeTransform, *nfc);
    if (!latin.ok()) return latin.status();
    for (char c : *latin) {
      if (static_cast<unsigned char>(c) >= 0x80) return false;
    }
    romanized[i] = *std::move(latin);
  }
  ConvertedField* fields[] = {&slots->latn_given, &slots->latn_family,
                              &slots->latn_full};
  const size_t widths[] = {kNamePartWidth, kNamePartWidth, kFullNameWidth};
  for (int i = 0; i < 3; ++i) {
    absl::StatusOr<ConvertedField> f =
        ConvertField(romanized[i], widths[i], FieldCharset::kLatin);
    if (!f.ok()) return f.status();
    *fields[i] = *std::move(f);
  }
  return true;
}

absl::Status FillSlot(const gw::v1::PersonName& name, FieldCharset charset,
                      ConvertedField* given, ConvertedField* family,
                      ConvertedField* full) {
  absl::StatusOr<ConvertedField> g =
      ConvertField(name.given(), kNamePartWidth, charset);
  if (!g.ok()) return g.status();
  absl::StatusOr<ConvertedField> f =
      ConvertField(name.family(), kNamePartWidth, charset);
  if (!f.ok()) return f.status();
  absl::StatusOr<ConvertedField> u =
      ConvertField(name.full(), kFullNameWidth, charset);
  if (!u.ok()) return u.status();
  *given = *std::move(g);
  *family = *std::move(f);
  *full = *std::move(u);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ConvertedField> ConvertField(absl::string_view utf8,
                                            size_t width,
                                            FieldCharset charset) {
  const Target target = ToTarget(charset);
  absl::StatusOr<Prepared> prepared = Prepare(utf8, target);
  if (!prepared.ok()) return prepared.status();
  return ConvertPrepared(*prepared, width, target);
}

std::vector<std::string> SplitTextParts(absl::string_view bytes) {
  std::vector<std::string> parts;
  for (size_t pos = 0; pos < bytes.size(); pos += kTextPartBytes) {
    parts.emplace_back(bytes.substr(pos, kTextPartBytes));
  }
  return parts;
}

absl::StatusOr<EncodedTexts> EncodeTexts(
    const google::protobuf::RepeatedPtrField<gw::v1::LanguageText>& texts) {
  EncodedTexts out;
  for (const gw::v1::LanguageText& text : texts) {
    absl::StatusOr<Prepared> prepared =
        Prepare(text.text(), Target::kNarrative);
    if (!prepared.ok()) return prepared.status();
    if (!prepared->representable || prepared->text.empty() ||
        !IsSendableLang(text.lang())) {
      ++out.omitted;
      out.altered = true;
      continue;
    }
    absl::StatusOr<std::string> bytes =
        Encode(prepared->text, Target::kNarrative);
    if (!bytes.ok()) return bytes.status();
    out.altered = out.altered || prepared->altered;
    out.sent.push_back(EncodedText{text.lang(), SplitTextParts(*bytes)});
  }
  return out;
}

absl::StatusOr<NameSlots> EncodeNames(
    const google::protobuf::RepeatedPtrField<gw::v1::PersonName>& names) {
  NameSlots slots;
  const gw::v1::PersonName* thai = nullptr;
  const gw::v1::PersonName* latin = nullptr;
  bool not_sent = false;
  for (const gw::v1::PersonName& name : names) {
    if (thai == nullptr && ScriptIs(name, "Thai")) {
      thai = &name;
    } else if (latin == nullptr && ScriptIs(name, "Latn")) {
      latin = &name;
    } else {
      not_sent = true;  // another script, or a second entry of one
    }
  }
  if (thai != nullptr) {
    if (absl::Status s = FillSlot(*thai, FieldCharset::kThai, &slots.th_given,
                                  &slots.th_family, &slots.th_full);
        !s.ok()) {
      return s;
    }
  }
  bool generated = false;
  if (latin != nullptr) {
    if (absl::Status s =
            FillSlot(*latin, FieldCharset::kLatin, &slots.latn_given,
                     &slots.latn_family, &slots.latn_full);
        !s.ok()) {
      return s;
    }
  } else if (not_sent) {
    absl::StatusOr<bool> ok = GenerateLatin(names[0], &slots);
    if (!ok.ok()) return ok.status();
    generated = *ok && !(Blank(slots.latn_given) && Blank(slots.latn_family) &&
                         Blank(slots.latn_full));
  }

  const ConvertedField* all[] = {&slots.th_given,    &slots.th_family,
                                 &slots.th_full,     &slots.latn_given,
                                 &slots.latn_family, &slots.latn_full};
  bool blank = true, altered = false;
  for (int i = 0; i < 6; ++i) {
    blank = blank && Blank(*all[i]);
    slots.truncated = slots.truncated || all[i]->truncated;
    // Alterations of a generated slot are part of generating it (flag T).
    const bool latin_slot = i >= 3;
    if (!(generated && latin_slot)) altered = altered || all[i]->altered;
  }
  if (blank) {
    slots.flag = 'U';
    slots.truncated = false;
  } else if (not_sent && generated) {
    slots.flag = 'T';
  } else if (not_sent) {
    slots.flag = 'R';
  } else if (altered) {
    slots.flag = 'F';
  } else {
    slots.flag = 'N';
  }
  return slots;
}

namespace {

absl::StatusOr<std::string> DecodeBytes(absl::string_view value,
                                        bool allow_lf) {
  for (size_t i = 0; i < value.size(); ++i) {
    const unsigned char b = static_cast<unsigned char>(value[i]);
    if (!(IsThaiFieldByte(b) || (allow_lf && b == 0x0A))) {
      return absl::InvalidArgumentError(
          absl::StrCat("byte 0x", absl::Hex(b, absl::kZeroPad2), " at offset ",
                       i, " is not permitted TIS-620 (TH-RTP.md §5.1)"));
    }
  }
  absl::StatusOr<std::string> utf8 = text::DecodeCodepage(
      kCodepage, std::string_view(value.data(), value.size()));
  if (!utf8.ok()) return utf8.status();
  return text::ToNfc(*utf8);
}

}  // namespace

absl::StatusOr<std::string> DecodeField(absl::string_view raw, bool allow_lf) {
  return DecodeBytes(TrimTrailingSpaces(raw), allow_lf);
}

absl::StatusOr<std::string> JoinTextParts(
    const std::vector<absl::string_view>& parts) {
  std::string joined;
  for (size_t i = 0; i < parts.size(); ++i) {
    const absl::string_view part =
        i + 1 == parts.size() ? TrimTrailingSpaces(parts[i]) : parts[i];
    joined.append(part.data(), part.size());
  }
  return DecodeBytes(joined, /*allow_lf=*/true);
}

}  // namespace gw::th_rtp
