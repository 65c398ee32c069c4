// adapters/kh_cnp/kh_names.h
//
// Khmer and Latin names on the KH-CNP link (KH-CNP.md §5.2).
//
// GeneratedLatinName: the `Latn` entry the gateway adds to an outbound
// person who has a `Khmr` entry but no `Latn` one, so that KH-CNP officers
// without Khmer input still find the person. It is made from the person's
// first `Khmr` entry with the project's Khmer romanization
// (adapters/text/romanize.h, UNGEGN 1972 tables), in the style of §5.2's
// "SAKALBANG Srey Pov": family first, the family name in capitals, each
// word of the given name capitalised, `full` = family + space + given.
// When the Khmer entry has only `full`, its romanization is `full` alone,
// its first word (the family name, §5.2) in capitals. U+200B and U+200C are
// removed and the text put in NFC before romanizing.
//
// It is a machine transcription, not the one on Cambodian identity
// documents (the example's ស្រីពៅ is "Srey Pov" there and "Sreipou" here):
// an existing `Latn` entry is never replaced or changed. nullopt when the
// person already has a `Latn` entry, has no `Khmr` entry, already has the
// 10 entries §9 allows, or when a part cannot be romanized (a character of
// another script, e.g. a Latin letter or digit inside the Khmer entry):
// the person then goes with the names it has.
// Thread safety: pure function.
#ifndef GW_ADAPTERS_KH_CNP_KH_NAMES_H_
#define GW_ADAPTERS_KH_CNP_KH_NAMES_H_

#include <optional>

#include "gw/v1/person.pb.h"

namespace gw::kh_cnp {

std::optional<gw::v1::PersonName> GeneratedLatinName(
    const gw::v1::Person& person);

}  // namespace gw::kh_cnp

#endif  // GW_ADAPTERS_KH_CNP_KH_NAMES_H_
