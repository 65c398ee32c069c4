# gw_embed_text(TARGET <lib> SYMBOL <c++ name> FILE <path>)
#
# Compiles the bytes of FILE into static library TARGET as
#   namespace gw::embedded { extern const std::string_view <SYMBOL>; }
# so that programs carry the partner schemas they enforce (schemas/) instead
# of reading them from a path that might be missing or changed at run time.
# The bytes are written as a hex array: exact, whatever the file contains.
function(gw_embed_text)
  cmake_parse_arguments(ARG "" "TARGET;SYMBOL;FILE" "" ${ARGN})
  set(out_cc ${CMAKE_CURRENT_BINARY_DIR}/embedded_${ARG_SYMBOL}.cc)
  add_custom_command(
    OUTPUT ${out_cc}
    COMMAND ${CMAKE_COMMAND} -DIN=${ARG_FILE} -DOUT=${out_cc}
            -DSYMBOL=${ARG_SYMBOL} -P ${PROJECT_SOURCE_DIR}/cmake/EmbedTextRun.cmake
    DEPENDS ${ARG_FILE} ${PROJECT_SOURCE_DIR}/cmake/EmbedTextRun.cmake
    COMMENT "embedding ${ARG_FILE}")
  add_library(${ARG_TARGET} STATIC ${out_cc})
  target_include_directories(${ARG_TARGET} PUBLIC ${PROJECT_SOURCE_DIR})
endfunction()
