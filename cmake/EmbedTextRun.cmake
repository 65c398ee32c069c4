# Script mode of gw_embed_text (EmbedText.cmake): IN -> OUT as a C++ array.
file(READ ${IN} hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE ${OUT}
  "// Generated from ${IN} by cmake/EmbedText.cmake. Do not edit.\n"
  "#include <string_view>\n"
  "namespace gw::embedded {\n"
  "namespace {\n"
  "const unsigned char kBytes[] = {${bytes} 0};\n"
  "}  // namespace\n"
  "extern const std::string_view ${SYMBOL};\n"
  "const std::string_view ${SYMBOL}(reinterpret_cast<const char*>(kBytes),\n"
  "                                 ${size});\n"
  "}  // namespace gw::embedded\n")
