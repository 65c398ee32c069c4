// tools/zawgyi-train/zawgyi_train.cc
//
// zawgyi-train: builds the pinned model of the gateway's Zawgyi detector
// (adapters/text/zawgyi.h, MM-MPF.md §5.4) and writes it as C++ source,
// adapters/text/zawgyi_model.inc.
//
// Corpus: every Burmese string that ICU's own `my` locale data carries and
// that this program can reach through public ICU APIs: every string of the
// `my` resource bundles (main, lang, region, curr, zone, unit, rbnf), and
// what the formatting APIs build from them (language, script, region and
// locale display names, keyword values, months, weekdays, eras, quarters
// and day periods of every calendar, formatted dates, currency names,
// time-zone and city names, unit names, relative times, number
// spell-outs). Each Unicode string is rendered in Zawgyi with ICU's
// `my-Zawgyi` transliterator. No text comes from outside the ICU the
// gateway is built with, so the model can be reproduced on any machine with
// the same ICU (Debian 12: ICU 72.1).
//
// Model: first-order Markov chain over 161 classes, one per code point
// U+1000-U+109F and one ("other", written 0 in the tables) for every other
// code point and for both ends of the string. For each string the
// transitions other -> c1 -> c2 -> ... -> other are counted, skipping
// other -> other, once in the Unicode text (Unicode table) and once in its
// Zawgyi rendering (Zawgyi table). The detector adds kSmoothing to every
// cell and compares the two chains in log space.
//
// Regenerating the model (a model change is a configuration change: the
// gateway's audit log records the new model_version()):
//
//   cmake --build build --target zawgyi-train
//   model=adapters/text/zawgyi_model.inc
//   build/tools/zawgyi-train/zawgyi-train --output "$model"
//
// then rebuild and run tests/unit/adapters/text (zawgyi_test), which checks
// the §5.8 pairs and a held-out set against the decision thresholds.
// --corpus FILE also writes the Unicode training strings, one per line, so
// a reviewer can see what the model was trained on (and check that test
// strings are held out).
//
// Exit status: 0 on success, 1 if ICU lacks the data or a file cannot be
// written, 2 on a usage error.
#include <unicode/calendar.h>
#include <unicode/datefmt.h>
#include <unicode/dtfmtsym.h>
#include <unicode/dtptngen.h>
#include <unicode/listformatter.h>
#include <unicode/locdspnm.h>
#include <unicode/locid.h>
#include <unicode/measunit.h>
#include <unicode/numberformatter.h>
#include <unicode/numsys.h>
#include <unicode/rbnf.h>
#include <unicode/region.h>
#include <unicode/reldatefmt.h>
#include <unicode/smpdtfmt.h>
#include <unicode/strenum.h>
#include <unicode/timezone.h>
#include <unicode/translit.h>
#include <unicode/tznames.h>
#include <unicode/uchar.h>
#include <unicode/ucurr.h>
#include <unicode/uenum.h>
#include <unicode/unistr.h>
#include <unicode/ures.h>
#include <unicode/uscript.h>
#include <unicode/uversion.h>

#include <array>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace {

constexpr char kUsage[] =
    R"(usage: zawgyi-train [--output FILE] [--corpus FILE] [--smoothing X]

Trains the Zawgyi detector of the MM-MPF adapter (MM-MPF.md section 5.4)
from the Burmese text in ICU's `my` locale data and its Zawgyi rendering
made with ICU's `my-Zawgyi` transliterator, and writes the model as C++
source (default: standard output).

  --output FILE     write the model here (adapters/text/zawgyi_model.inc)
  --corpus FILE     also write the Unicode training strings, one per line
  --smoothing X     add-X smoothing of every transition (default 0.05)
  --help            this text

To regenerate the pinned model, from the source tree:

  cmake --build build --target zawgyi-train
  build/tools/zawgyi-train/zawgyi-train \
      --output adapters/text/zawgyi_model.inc

then rebuild and run the zawgyi_test unit test. The model's SHA-256
(ZawgyiDetector::model_version) changes with it; deploying it is a
configuration change recorded in the audit log.
)";

constexpr UChar32 kFirst = 0x1000;
constexpr UChar32 kLast = 0x109F;
constexpr int kClasses = 1 + (kLast - kFirst + 1);  // "other" is class 0
constexpr double kDefaultSmoothing = 0.05;

int ClassOf(UChar32 c) {
  return (c >= kFirst && c <= kLast) ? 1 + (c - kFirst) : 0;
}
UChar32 CodePointOf(int cls) { return cls == 0 ? 0 : kFirst + cls - 1; }

bool HasMyanmar(const icu::UnicodeString& s) {
  for (int32_t i = 0; i < s.length(); i = s.moveIndex32(i, 1)) {
    if (ClassOf(s.char32At(i)) != 0) return true;
  }
  return false;
}

std::string Utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

// The Burmese strings of the corpus, deduplicated and in a fixed
// (code-unit) order so the model does not depend on enumeration order.
class Corpus {
 public:
  void Add(const icu::UnicodeString& s) {
    if (!s.isBogus() && HasMyanmar(s)) strings_.insert(s);
  }
  void Add(const UChar* s, int32_t len) {
    if (s != nullptr && len > 0) Add(icu::UnicodeString(s, len));
  }
  void AddAll(const icu::UnicodeString* arr, int32_t n) {
    for (int32_t i = 0; arr != nullptr && i < n; ++i) Add(arr[i]);
  }
  const std::set<icu::UnicodeString>& strings() const { return strings_; }

 private:
  std::set<icu::UnicodeString> strings_;
};

const icu::Locale& Burmese() {
  static const icu::Locale* my = new icu::Locale("my");
  return *my;
}

// Every string of the `my` bundles themselves (no fallback to root), so
// data that no formatting API shows (character labels, field names, unit
// and list patterns) is used too. Exemplar character sets are lists of
// letters, not text, and are skipped; so is collation (rules, not text).
void AddBundleStrings(UResourceBundle* bundle, Corpus& corpus) {
  const char* key = ures_getKey(bundle);
  if (key != nullptr && (std::strncmp(key, "Exemplar", 8) == 0 ||
                         std::strncmp(key, "AuxExemplar", 11) == 0)) {
    return;
  }
  switch (ures_getType(bundle)) {
    case URES_STRING: {
      UErrorCode status = U_ZERO_ERROR;
      int32_t len = 0;
      const UChar* s = ures_getString(bundle, &len, &status);
      if (U_SUCCESS(status)) corpus.Add(s, len);
      return;
    }
    case URES_TABLE:
    case URES_ARRAY: {
      ures_resetIterator(bundle);
      while (ures_hasNext(bundle)) {
        UErrorCode status = U_ZERO_ERROR;
        UResourceBundle* child = ures_getNextResource(bundle, nullptr, &status);
        if (U_FAILURE(status)) {
          ures_close(child);
          return;
        }
        AddBundleStrings(child, corpus);
        ures_close(child);
      }
      return;
    }
    default:
      return;
  }
}

void AddResourceBundles(Corpus& corpus) {
  static constexpr const char* kTrees[] = {
      nullptr,        "ICUDATA-lang", "ICUDATA-region", "ICUDATA-curr",
      "ICUDATA-zone", "ICUDATA-unit", "ICUDATA-rbnf"};
  for (const char* tree : kTrees) {
    UErrorCode status = U_ZERO_ERROR;
    UResourceBundle* bundle = ures_openDirect(tree, "my", &status);
    if (U_SUCCESS(status)) AddBundleStrings(bundle, corpus);
    ures_close(bundle);
  }
}

void AddDisplayNames(Corpus& corpus) {
  for (UDialectHandling dialect : {ULDN_STANDARD_NAMES, ULDN_DIALECT_NAMES}) {
    std::unique_ptr<icu::LocaleDisplayNames> names(
        icu::LocaleDisplayNames::createInstance(Burmese(), dialect));
    if (names == nullptr) continue;
    icu::UnicodeString out;
    for (const char* const* lang = icu::Locale::getISOLanguages();
         *lang != nullptr; ++lang) {
      corpus.Add(names->languageDisplayName(*lang, out));
    }
    for (const char* const* region = icu::Locale::getISOCountries();
         *region != nullptr; ++region) {
      corpus.Add(names->regionDisplayName(*region, out));
    }
    for (URegionType type : {URGN_WORLD, URGN_CONTINENT, URGN_SUBCONTINENT,
                             URGN_TERRITORY, URGN_GROUPING}) {
      UErrorCode status = U_ZERO_ERROR;
      std::unique_ptr<icu::StringEnumeration> regions(
          icu::Region::getAvailable(type, status));
      if (U_FAILURE(status) || regions == nullptr) continue;
      while (const char* id = regions->next(nullptr, status)) {
        if (U_FAILURE(status)) break;
        corpus.Add(names->regionDisplayName(id, out));
      }
    }
    const int32_t max_script = u_getIntPropertyMaxValue(UCHAR_SCRIPT);
    for (int32_t script = 0; script <= max_script; ++script) {
      const char* code = uscript_getShortName(static_cast<UScriptCode>(script));
      if (code != nullptr) corpus.Add(names->scriptDisplayName(code, out));
    }
    int32_t count = 0;
    const icu::Locale* locales = icu::Locale::getAvailableLocales(count);
    for (int32_t i = 0; i < count; ++i) {
      corpus.Add(names->localeDisplayName(locales[i], out));
    }
    // Keyword names and values, as a locale picker shows them.
    static constexpr std::array<std::pair<const char*, const char*>, 40>
        kKeyValues = {{{"calendar", "buddhist"},
                       {"calendar", "chinese"},
                       {"calendar", "coptic"},
                       {"calendar", "dangi"},
                       {"calendar", "ethiopic"},
                       {"calendar", "gregorian"},
                       {"calendar", "hebrew"},
                       {"calendar", "indian"},
                       {"calendar", "islamic"},
                       {"calendar", "islamic-civil"},
                       {"calendar", "iso8601"},
                       {"calendar", "japanese"},
                       {"calendar", "persian"},
                       {"calendar", "roc"},
                       {"collation", "standard"},
                       {"collation", "phonebook"},
                       {"collation", "pinyin"},
                       {"collation", "stroke"},
                       {"collation", "traditional"},
                       {"collation", "search"},
                       {"collation", "unihan"},
                       {"collation", "zhuyin"},
                       {"collation", "dictionary"},
                       {"collation", "ducet"},
                       {"collation", "emoji"},
                       {"collation", "eor"},
                       {"collation", "big5han"},
                       {"collation", "gb2312han"},
                       {"currency", "MMK"},
                       {"hc", "h12"},
                       {"hc", "h23"},
                       {"lb", "loose"},
                       {"lb", "normal"},
                       {"lb", "strict"},
                       {"ms", "metric"},
                       {"ms", "uksystem"},
                       {"ms", "ussystem"},
                       {"cf", "standard"},
                       {"cf", "account"},
                       {"numbers", "mymr"}}};
    for (const auto& [key, value] : kKeyValues) {
      corpus.Add(names->keyDisplayName(key, out));
      corpus.Add(names->keyValueDisplayName(key, value, out));
    }
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::StringEnumeration> systems(
        icu::NumberingSystem::getAvailableNames(status));
    if (U_SUCCESS(status) && systems != nullptr) {
      while (const char* id = systems->next(nullptr, status)) {
        if (U_FAILURE(status)) break;
        corpus.Add(names->keyValueDisplayName("numbers", id, out));
      }
    }
  }
}

void AddCalendarSymbols(Corpus& corpus) {
  static constexpr const char* kCalendars[] = {
      "gregorian", "buddhist", "chinese",      "coptic",  "dangi",
      "ethiopic",  "hebrew",   "indian",       "islamic", "japanese",
      "persian",   "roc",      "islamic-civil"};
  for (const char* calendar : kCalendars) {
    UErrorCode status = U_ZERO_ERROR;
    icu::Locale locale("my");
    locale.setKeywordValue("calendar", calendar, status);
    icu::DateFormatSymbols symbols(locale, status);
    if (U_FAILURE(status)) continue;
    int32_t n = 0;
    // `n` is read only after the getter has set it.
    const auto add = [&corpus, &n](const icu::UnicodeString* symbols) {
      corpus.AddAll(symbols, n);
    };
    for (auto context :
         {icu::DateFormatSymbols::FORMAT, icu::DateFormatSymbols::STANDALONE}) {
      for (auto width :
           {icu::DateFormatSymbols::WIDE, icu::DateFormatSymbols::ABBREVIATED,
            icu::DateFormatSymbols::SHORT, icu::DateFormatSymbols::NARROW}) {
        add(symbols.getMonths(n, context, width));
        add(symbols.getWeekdays(n, context, width));
        if (width != icu::DateFormatSymbols::SHORT) {
          add(symbols.getQuarters(n, context, width));
        }
      }
    }
    add(symbols.getEras(n));
    add(symbols.getEraNames(n));
    add(symbols.getNarrowEras(n));
    add(symbols.getAmPmStrings(n));
    for (auto context :
         {icu::DateFormatSymbols::FORMAT, icu::DateFormatSymbols::STANDALONE}) {
      for (auto width : {icu::DateFormatSymbols::WIDE,
                         icu::DateFormatSymbols::ABBREVIATED}) {
        add(symbols.getYearNames(n, context, width));
        add(symbols.getZodiacNames(n, context, width));
      }
    }
  }
}

// Whole formatted dates give the particles and word order of running text.
void AddFormattedDates(Corpus& corpus) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::TimeZone> utc(icu::TimeZone::createTimeZone("UTC"));
  std::unique_ptr<icu::Calendar> calendar(
      icu::Calendar::createInstance(*utc, Burmese(), status));
  if (U_FAILURE(status)) return;
  std::vector<UDate> dates;
  for (int month = 0; month < 12; ++month) {
    calendar->clear();
    calendar->set(2026, month, 1 + 2 * month, 3 + month, 5 * month);
    dates.push_back(calendar->getTime(status));
  }
  for (auto style : {icu::DateFormat::kFull, icu::DateFormat::kLong,
                     icu::DateFormat::kMedium, icu::DateFormat::kShort}) {
    std::unique_ptr<icu::DateFormat> format(
        icu::DateFormat::createDateTimeInstance(style, style, Burmese()));
    if (format == nullptr) continue;
    format->setTimeZone(*utc);
    for (UDate date : dates) {
      icu::UnicodeString out;
      corpus.Add(format->format(date, out));
    }
  }
  std::unique_ptr<icu::DateTimePatternGenerator> generator(
      icu::DateTimePatternGenerator::createInstance(Burmese(), status));
  if (U_FAILURE(status)) return;
  for (const char* skeleton :
       {"yMMMMEEEEd", "MMMMd", "MMMMEEEEd", "yMMMM", "yQQQQ", "MMMMW", "yw",
        "hmma", "Bhm", "EEEEBhm", "yMMMMEEEEdBhms", "yMMMMd"}) {
    const icu::UnicodeString pattern =
        generator->getBestPattern(icu::UnicodeString(skeleton), status);
    if (U_FAILURE(status)) return;
    icu::SimpleDateFormat format(pattern, Burmese(), status);
    if (U_FAILURE(status)) return;
    format.setTimeZone(*utc);
    for (UDate date : dates) {
      icu::UnicodeString out;
      corpus.Add(format.format(date, out));
    }
  }
}

void AddCurrencies(Corpus& corpus) {
  UErrorCode status = U_ZERO_ERROR;
  UEnumeration* currencies = ucurr_openISOCurrencies(UCURR_ALL, &status);
  if (U_FAILURE(status)) return;
  while (const char* code = uenum_next(currencies, nullptr, &status)) {
    if (U_FAILURE(status)) break;
    UChar iso[4] = {0};
    u_charsToUChars(code, iso, 3);
    for (const char* plural : {"other"}) {
      UBool is_choice = false;
      int32_t len = 0;
      UErrorCode st = U_ZERO_ERROR;
      const UChar* name =
          ucurr_getName(iso, "my", UCURR_LONG_NAME, &is_choice, &len, &st);
      // A fallback to root gives the ISO code back: no Myanmar, dropped.
      if (U_SUCCESS(st)) corpus.Add(name, len);
      st = U_ZERO_ERROR;
      name = ucurr_getPluralName(iso, "my", &is_choice, plural, &len, &st);
      if (U_SUCCESS(st)) corpus.Add(name, len);
    }
  }
  uenum_close(currencies);
}

void AddTimeZones(Corpus& corpus) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::TimeZoneNames> names(
      icu::TimeZoneNames::createInstance(Burmese(), status));
  if (U_FAILURE(status)) return;
  icu::UnicodeString out;
  std::unique_ptr<icu::StringEnumeration> metazones(
      names->getAvailableMetaZoneIDs(status));
  if (U_SUCCESS(status) && metazones != nullptr) {
    while (const icu::UnicodeString* id = metazones->snext(status)) {
      if (U_FAILURE(status)) break;
      for (UTimeZoneNameType type :
           {UTZNM_LONG_GENERIC, UTZNM_LONG_STANDARD, UTZNM_LONG_DAYLIGHT}) {
        corpus.Add(names->getMetaZoneDisplayName(*id, type, out));
      }
    }
  }
  status = U_ZERO_ERROR;
  std::unique_ptr<icu::StringEnumeration> zones(
      icu::TimeZone::createTimeZoneIDEnumeration(
          UCAL_ZONE_TYPE_CANONICAL_LOCATION, nullptr, nullptr, status));
  if (U_FAILURE(status) || zones == nullptr) return;
  std::unique_ptr<icu::TimeZone> zone;
  while (const icu::UnicodeString* id = zones->snext(status)) {
    if (U_FAILURE(status)) break;
    corpus.Add(names->getExemplarLocationName(*id, out));
    for (UTimeZoneNameType type :
         {UTZNM_LONG_GENERIC, UTZNM_LONG_STANDARD, UTZNM_LONG_DAYLIGHT}) {
      corpus.Add(names->getTimeZoneDisplayName(*id, type, out));
    }
    zone.reset(icu::TimeZone::createTimeZone(*id));
    // The generic location format ("<city> အချိန်") and the fallbacks.
    zone->getDisplayName(false, icu::TimeZone::GENERIC_LOCATION, Burmese(),
                         out);
    corpus.Add(out);
    zone->getDisplayName(false, icu::TimeZone::LONG, Burmese(), out);
    corpus.Add(out);
  }
}

void AddUnits(Corpus& corpus) {
  UErrorCode status = U_ZERO_ERROR;
  const int32_t count = icu::MeasureUnit::getAvailable(nullptr, 0, status);
  status = U_ZERO_ERROR;
  std::vector<icu::MeasureUnit> units(count);
  icu::MeasureUnit::getAvailable(units.data(), count, status);
  if (U_FAILURE(status)) return;
  for (const icu::MeasureUnit& unit : units) {
    for (UNumberUnitWidth width :
         {UNUM_UNIT_WIDTH_FULL_NAME, UNUM_UNIT_WIDTH_SHORT}) {
      UErrorCode st = U_ZERO_ERROR;
      const icu::UnicodeString text =
          icu::number::NumberFormatter::withLocale(Burmese())
              .unit(unit)
              .unitWidth(width)
              .formatDouble(3, st)
              .toString(st);
      if (U_SUCCESS(st)) corpus.Add(text);
    }
  }
}

void AddRelativeTimes(Corpus& corpus) {
  for (UDateRelativeDateTimeFormatterStyle style :
       {UDAT_STYLE_LONG, UDAT_STYLE_SHORT}) {
    UErrorCode status = U_ZERO_ERROR;
    icu::RelativeDateTimeFormatter format(Burmese(), nullptr, style,
                                          UDISPCTX_CAPITALIZATION_NONE, status);
    if (U_FAILURE(status)) continue;
    icu::UnicodeString out;
    for (int unit = 0; unit < UDAT_RELATIVE_UNIT_COUNT; ++unit) {
      for (UDateDirection direction :
           {UDAT_DIRECTION_LAST, UDAT_DIRECTION_NEXT}) {
        for (double quantity : {1.0, 3.0}) {
          out.remove();
          UErrorCode st = U_ZERO_ERROR;
          format.format(quantity, direction,
                        static_cast<UDateRelativeUnit>(unit), out, st);
          if (U_SUCCESS(st)) corpus.Add(out);
        }
      }
    }
    for (int unit = 0; unit < UDAT_ABSOLUTE_UNIT_COUNT; ++unit) {
      for (int direction = 0; direction < UDAT_DIRECTION_COUNT; ++direction) {
        out.remove();
        UErrorCode st = U_ZERO_ERROR;
        format.format(static_cast<UDateDirection>(direction),
                      static_cast<UDateAbsoluteUnit>(unit), out, st);
        if (U_SUCCESS(st)) corpus.Add(out);
      }
    }
    for (int unit = 0; unit < UDAT_REL_UNIT_COUNT; ++unit) {
      for (double offset : {-2.0, -1.0, 0.0, 1.0, 2.0}) {
        UErrorCode st = U_ZERO_ERROR;
        const icu::UnicodeString text =
            format
                .formatToValue(offset, static_cast<URelativeDateTimeUnit>(unit),
                               st)
                .toString(st);
        if (U_SUCCESS(st)) corpus.Add(text);
      }
    }
  }
}

// Spelled-out numbers: a few hundred values, not every integer, so number
// words do not outweigh the rest of the corpus.
void AddSpelledNumbers(Corpus& corpus) {
  UErrorCode status = U_ZERO_ERROR;
  icu::RuleBasedNumberFormat format(icu::URBNF_SPELLOUT, Burmese(), status);
  if (U_FAILURE(status)) return;
  std::vector<int64_t> values;
  for (int64_t v = 0; v <= 30; ++v) values.push_back(v);
  for (int64_t v = 31; v <= 1000; v += 37) values.push_back(v);
  for (int64_t v = 1000; v <= 100000000; v *= 10) {
    values.push_back(v);
    values.push_back(v + 7 * v / 10 + 3);
  }
  for (int64_t v : values) {
    icu::UnicodeString out;
    corpus.Add(format.format(v, out));
  }
  UErrorCode st = U_ZERO_ERROR;
  icu::RuleBasedNumberFormat ordinal(icu::URBNF_ORDINAL, Burmese(), st);
  if (U_SUCCESS(st)) {
    for (int64_t v = 1; v <= 10; ++v) {
      icu::UnicodeString out;
      corpus.Add(ordinal.format(v, out));
    }
  }
}

void AddLists(Corpus& corpus) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::LocaleDisplayNames> names(
      icu::LocaleDisplayNames::createInstance(Burmese()));
  if (names == nullptr) return;
  icu::UnicodeString items[4];
  const char* regions[] = {"MM", "TH", "CN", "LA"};
  for (int i = 0; i < 4; ++i) names->regionDisplayName(regions[i], items[i]);
  for (UListFormatterType type :
       {ULISTFMT_TYPE_AND, ULISTFMT_TYPE_OR, ULISTFMT_TYPE_UNITS}) {
    std::unique_ptr<icu::ListFormatter> format(
        icu::ListFormatter::createInstance(Burmese(), type, ULISTFMT_WIDTH_WIDE,
                                           status));
    if (U_FAILURE(status)) return;
    for (int n = 2; n <= 4; ++n) {
      icu::UnicodeString out;
      corpus.Add(format->format(items, n, out, status));
    }
  }
}

struct Counts {
  // [from][to] transitions, for the Unicode and the Zawgyi text.
  std::vector<uint64_t> unicode = std::vector<uint64_t>(kClasses * kClasses);
  std::vector<uint64_t> zawgyi = std::vector<uint64_t>(kClasses * kClasses);
  uint64_t unicode_code_points = 0;
  uint64_t zawgyi_code_points = 0;
};

// The same walk as ZawgyiDetector::Probability: the string is framed by
// "other" on both sides and other -> other is not a transition.
uint64_t CountTransitions(const icu::UnicodeString& s,
                          std::vector<uint64_t>& table) {
  int prev = 0;
  uint64_t n = 0;
  for (int32_t i = 0; i < s.length(); i = s.moveIndex32(i, 1)) {
    const int cls = ClassOf(s.char32At(i));
    if (prev != 0 || cls != 0) ++table[prev * kClasses + cls];
    prev = cls;
    ++n;
  }
  if (prev != 0) ++table[prev * kClasses];
  return n;
}

std::string Hex(UChar32 c) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "0x%04X", static_cast<unsigned>(c));
  return buf;
}

std::string RenderModel(const Counts& counts, size_t strings,
                        double smoothing) {
  std::string out;
  out +=
      "// adapters/text/zawgyi_model.inc\n"
      "//\n"
      "// GENERATED by tools/zawgyi-train: do not edit. The pinned model of\n"
      "// the Zawgyi detector (adapters/text/zawgyi.h, MM-MPF.md section "
      "5.4).\n"
      "// Regenerate from the source tree with\n"
      "//   build/tools/zawgyi-train/zawgyi-train"
      " --output adapters/text/zawgyi_model.inc\n"
      "// (see `zawgyi-train --help`); a new model is a configuration change\n"
      "// recorded in the audit log through ZawgyiDetector::model_version().\n"
      "//\n";
  out += "// ICU " U_ICU_VERSION
         ", locale data \"my\"; Zawgyi by \"my-Zawgyi\".\n";
  out += "// Corpus: " + std::to_string(strings) + " distinct strings, " +
         std::to_string(counts.unicode_code_points) +
         " code points in Unicode, " +
         std::to_string(counts.zawgyi_code_points) + " in Zawgyi.\n";
  out +=
      "//\n"
      "// Rows: {from, to, Unicode count, Zawgyi count}; 0 is the class of\n"
      "// every code point outside U+1000-U+109F and of both string ends.\n"
      "// Included by adapters/text/zawgyi.cc inside namespace\n"
      "// gw::text::model, which defines struct Transition.\n"
      "// clang-format off\n";
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.17g", smoothing);
  out += std::string("inline constexpr double kSmoothing = ") + buf + ";\n";
  out += "inline constexpr Transition kTransitions[] = {\n";
  for (int from = 0; from < kClasses; ++from) {
    for (int to = 0; to < kClasses; ++to) {
      const uint64_t u = counts.unicode[from * kClasses + to];
      const uint64_t z = counts.zawgyi[from * kClasses + to];
      if (u == 0 && z == 0) continue;
      out += "    {" + Hex(CodePointOf(from)) + ", " + Hex(CodePointOf(to)) +
             ", " + std::to_string(u) + ", " + std::to_string(z) + "},\n";
    }
  }
  out += "};\n// clang-format on\n";
  return out;
}

bool WriteFile(const std::string& path, const std::string& data) {
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << data;
  file.close();
  if (!file) {
    std::cerr << "zawgyi-train: cannot write " << path << "\n";
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  std::string output_path;
  std::string corpus_path;
  double smoothing = kDefaultSmoothing;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--help" || arg == "-h") {
      std::cout << kUsage;
      return 0;
    } else if (arg == "--output" && has_value) {
      output_path = argv[++i];
    } else if (arg == "--corpus" && has_value) {
      corpus_path = argv[++i];
    } else if (arg == "--smoothing" && has_value) {
      char* end = nullptr;
      smoothing = std::strtod(argv[++i], &end);
      if (end == argv[i] || *end != '\0' || !(smoothing > 0)) {
        std::cerr << "zawgyi-train: --smoothing wants a positive number\n";
        return 2;
      }
    } else {
      std::cerr << "zawgyi-train: unexpected argument " << arg << "\n"
                << kUsage;
      return 2;
    }
  }

  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::Transliterator> to_zawgyi(
      icu::Transliterator::createInstance("my-Zawgyi", UTRANS_FORWARD, status));
  if (U_FAILURE(status) || to_zawgyi == nullptr) {
    std::cerr << "zawgyi-train: ICU has no my-Zawgyi transliterator: "
              << u_errorName(status) << "\n";
    return 1;
  }

  Corpus corpus;
  AddResourceBundles(corpus);
  AddDisplayNames(corpus);
  AddCalendarSymbols(corpus);
  AddFormattedDates(corpus);
  AddCurrencies(corpus);
  AddTimeZones(corpus);
  AddUnits(corpus);
  AddRelativeTimes(corpus);
  AddSpelledNumbers(corpus);
  AddLists(corpus);
  if (corpus.strings().size() < 1000) {
    std::cerr << "zawgyi-train: only " << corpus.strings().size()
              << " Burmese strings in ICU's my locale data; is the full ICU "
                 "data installed?\n";
    return 1;
  }

  Counts counts;
  std::string corpus_text;
  for (const icu::UnicodeString& unicode : corpus.strings()) {
    icu::UnicodeString zawgyi = unicode;
    to_zawgyi->transliterate(zawgyi);
    counts.unicode_code_points += CountTransitions(unicode, counts.unicode);
    counts.zawgyi_code_points += CountTransitions(zawgyi, counts.zawgyi);
    corpus_text += Utf8(unicode) + "\n";
  }

  const std::string model =
      RenderModel(counts, corpus.strings().size(), smoothing);
  if (!corpus_path.empty() && !WriteFile(corpus_path, corpus_text)) return 1;
  if (output_path.empty()) {
    std::cout << model;
  } else if (!WriteFile(output_path, model)) {
    return 1;
  }
  std::cerr << "zawgyi-train: " << corpus.strings().size() << " strings, "
            << counts.unicode_code_points << " code points (Unicode)\n";
  return 0;
}
