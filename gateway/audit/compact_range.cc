// gateway/audit/compact_range.cc
#include "gateway/audit/compact_range.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "gateway/audit/hasher.h"
#include "gateway/util/status_macros.h"

namespace gw::audit {

std::vector<NodeId> CompactRange::NodesForSize(uint64_t size) {
  std::vector<NodeId> ids;
  ids.reserve(static_cast<size_t>(__builtin_popcountll(size)));
  for (int level = 63; level >= 0; --level) {
    if ((size >> level) & 1) {
      ids.push_back(NodeId{static_cast<uint32_t>(level), (size >> level) - 1});
    }
  }
  return ids;
}

absl::StatusOr<CompactRange> CompactRange::FromNodes(
    uint64_t size, std::vector<std::string> hashes) {
  if (size > kMaxTreeSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("size: ", size, ", at most ", kMaxTreeSize));
  }
  const std::vector<NodeId> ids = NodesForSize(size);
  if (hashes.size() != ids.size()) {
    return absl::DataLossError(
        absl::StrCat("hashes: ", hashes.size(), ", want ", ids.size()));
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    if (hashes[i].size() != kHashSize) {
      return absl::DataLossError(absl::StrCat("node ", ids[i].ToString(), ": ",
                                              hashes[i].size(), " bytes, want ",
                                              kHashSize));
    }
  }
  return CompactRange(size, std::move(hashes));
}

absl::StatusOr<CompactRange> CompactRange::FromReader(
    uint64_t size, const NodeReader& reader) {
  if (size > kMaxTreeSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("size: ", size, ", at most ", kMaxTreeSize));
  }
  GW_ASSIGN_OR_RETURN(std::vector<std::string> hashes,
                      ReadCheckedNodes(reader, NodesForSize(size)));
  return FromNodes(size, std::move(hashes));
}

absl::Status CompactRange::Append(absl::string_view leaf_hash,
                                  NodeVisitor visit) {
  if (leaf_hash.size() != kHashSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "leaf_hash: ", leaf_hash.size(), " bytes, want ", kHashSize));
  }
  if (size_ >= kMaxTreeSize) {
    return absl::FailedPreconditionError(
        absl::StrCat("tree_size: ", size_, " is the largest supported"));
  }
  // The new leaf is node (0, size_). Each set low bit of size_ is a
  // complete left sibling on the frontier: merge with it and go up a level,
  // as adding 1 to size_ carries through those bits.
  NodeId id{0, size_};
  std::string hash(leaf_hash);
  visit(id, hash);
  while (id.index & 1) {
    hash = HashChildren(hashes_.back(), hash);
    hashes_.pop_back();
    id = id.Parent();
    visit(id, hash);
  }
  hashes_.push_back(std::move(hash));
  ++size_;
  return absl::OkStatus();
}

std::string CompactRange::Root() const {
  if (hashes_.empty()) return EmptyRoot();
  // MTH splits at the largest power of two below the size, so the root is
  // the frontier folded from the right: h0 + (h1 + (h2 + ...)).
  std::string root = hashes_.back();
  for (size_t i = hashes_.size() - 1; i-- > 0;) {
    root = HashChildren(hashes_[i], root);
  }
  return root;
}

}  // namespace gw::audit
