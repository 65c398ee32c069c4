// gateway/audit/node_id.cc
#include "gateway/audit/node_id.h"

#include <ostream>
#include <string>

#include "absl/strings/str_cat.h"

namespace gw::audit {

std::string NodeId::ToString() const {
  return absl::StrCat("(", level, ", ", index, ")");
}

std::ostream& operator<<(std::ostream& os, const NodeId& id) {
  return os << id.ToString();
}

}  // namespace gw::audit
