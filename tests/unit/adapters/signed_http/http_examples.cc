// tests/unit/adapters/signed_http/http_examples.cc
//
// See http_examples.h.
#include "tests/unit/adapters/signed_http/http_examples.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/support/rfc8032_keys.h"

namespace gw::signed_http::testing {

absl::StatusOr<HttpExample> ParseHttpExample(std::string_view std_bytes) {
  // Our Abseil's string_view is its own type, not std::string_view.
  const absl::string_view bytes(std_bytes.data(), std_bytes.size());
  // The line end is whatever the first line ends with.
  const size_t first_lf = bytes.find('\n');
  if (first_lf == absl::string_view::npos || first_lf == 0) {
    return absl::InvalidArgumentError("no start line");
  }
  const std::string eol = bytes[first_lf - 1] == '\r' ? "\r\n" : "\n";
  const std::string blank = eol + eol;
  const size_t head_end = bytes.find(blank);
  if (head_end == absl::string_view::npos) {
    return absl::InvalidArgumentError("no blank line after the headers");
  }
  HttpExample example;
  example.body = std::string(bytes.substr(head_end + blank.size()));
  const std::vector<absl::string_view> lines =
      absl::StrSplit(bytes.substr(0, head_end), eol);
  const std::vector<absl::string_view> start = absl::StrSplit(lines[0], ' ');
  if (start.size() >= 3 && start[0] == "HTTP/1.1") {
    if (!absl::SimpleAtoi(start[1], &example.status)) {
      return absl::InvalidArgumentError("status line: no status");
    }
  } else if (start.size() == 3 && start[2] == "HTTP/1.1") {
    example.is_request = true;
    example.method = std::string(start[0]);
    example.path = std::string(start[1]);
  } else {
    return absl::InvalidArgumentError("start line: not HTTP/1.1");
  }
  for (size_t i = 1; i < lines.size(); ++i) {
    const size_t colon = lines[i].find(':');
    if (colon == absl::string_view::npos || colon == 0 ||
        absl::StrContains(lines[i], '\r') ||
        absl::StrContains(lines[i], '\n')) {
      return absl::InvalidArgumentError(absl::StrCat("header line ", i));
    }
    absl::string_view value = lines[i].substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) {
      value.remove_prefix(1);
    }
    example.headers.emplace_back(
        absl::AsciiStrToLower(lines[i].substr(0, colon)), std::string(value));
  }
  const std::optional<std::string> length =
      HeaderOf(example.headers, "content-length");
  size_t content_length = 0;
  if (!length.has_value() || !absl::SimpleAtoi(*length, &content_length) ||
      content_length != example.body.size()) {
    return absl::InvalidArgumentError("content-length: not the body's size");
  }
  return example;
}

std::string ReadExampleFile(const std::string& relative_path) {
  const std::string path =
      absl::StrCat(GW_PARTNER_EXAMPLES_DIR, "/", relative_path);
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

std::vector<std::string> HttpExampleFiles(const std::string& partner) {
  std::vector<std::string> files;
  const std::filesystem::path dir =
      std::filesystem::path(GW_PARTNER_EXAMPLES_DIR) / partner;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".http") {
      files.push_back(partner + "/" + entry.path().filename().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::optional<std::string> HeaderOf(const Headers& headers,
                                    std::string_view name) {
  std::optional<std::string> found;
  for (const auto& [key, value] : headers) {
    if (key != name) continue;
    if (found.has_value()) return std::nullopt;
    found = value;
  }
  return found;
}

std::string TargetUriOf(const HttpExample& request) {
  if (absl::StartsWith(request.path, "/gw/")) {
    return "https://gateway.mekong.example" + request.path;
  }
  if (absl::StartsWith(request.path, "/cnp/")) {
    return "https://cnp.partner.example" + request.path;
  }
  if (absl::StartsWith(request.path, "/tip/")) {
    return "https://tip.partner.example" + request.path;
  }
  ADD_FAILURE() << "no base URI for " << request.path;
  return "";
}

int SigningTestKeyOf(const HttpExample& example) {
  const std::string input =
      HeaderOf(example.headers, "signature-input").value_or("");
  if (absl::StrContains(input, ::gw::testing::kRfc8032Test1KeyId)) return 1;
  if (absl::StrContains(input, ::gw::testing::kRfc8032Test2KeyId)) return 2;
  return 0;
}

}  // namespace gw::signed_http::testing
