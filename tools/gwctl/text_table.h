// tools/gwctl/text_table.h
//
// A plain-text table for terminals: a header row, then rows, each column
// left-aligned and padded to its widest cell (width counted in UTF-8 code
// points; wide CJK glyphs may still misalign), columns separated by two
// spaces, no trailing spaces. A row shorter than the header is padded with
// empty cells; extra cells are kept.
// Thread safety: none needed (a value type).
#ifndef GW_TOOLS_GWCTL_TEXT_TABLE_H_
#define GW_TOOLS_GWCTL_TEXT_TABLE_H_

#include <string>
#include <vector>

namespace gw::gwctl {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> header);

  void AddRow(std::vector<std::string> cells);

  // Every line ends in '\n'; each line starts with `indent`.
  std::string Render(const std::string& indent = "") const;

 private:
  std::vector<std::vector<std::string>> rows_;  // rows_[0] is the header
};

}  // namespace gw::gwctl

#endif  // GW_TOOLS_GWCTL_TEXT_TABLE_H_
