#include "gateway/store/sqlite/sqlite_statement.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "gateway/store/sqlite/sqlite_status.h"

namespace gw::store::sqlite {
namespace {

// SQL text in error messages is cut to this many characters.
constexpr size_t kMaxSqlInMessage = 60;

// sqlite3_bind_text/_blob bind NULL for a null pointer, so an empty view
// with data() == nullptr must point somewhere.
const char* NonNullData(absl::string_view bytes) {
  return bytes.data() != nullptr ? bytes.data() : "";
}

}  // namespace

Statement::Statement(sqlite3_stmt* stmt, sqlite3* db, bool* in_use)
    : stmt_(stmt), db_(db), in_use_(in_use) {
  *in_use_ = true;
}

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)),
      db_(other.db_),
      in_use_(std::exchange(other.in_use_, nullptr)) {}

Statement::~Statement() {
  if (stmt_ == nullptr) return;
  // sqlite3_reset repeats the last step's error, which Step() already
  // reported; sqlite3_clear_bindings always returns SQLITE_OK.
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
  *in_use_ = false;
}

absl::Status Statement::CheckBind(int rc, int index) const {
  if (rc == SQLITE_OK) return absl::OkStatus();
  return StatusFromSqlite(rc, db_,
                          What(absl::StrCat("bind parameter ", index, " of")));
}

absl::Status Statement::Bind(int index, int64_t value) {
  return CheckBind(sqlite3_bind_int64(stmt_, index, value), index);
}

absl::Status Statement::Bind(int index, std::optional<int64_t> value) {
  if (!value.has_value()) return Bind(index, Null{});
  return Bind(index, *value);
}

absl::Status Statement::Bind(int index, absl::string_view text) {
  return CheckBind(
      sqlite3_bind_text64(stmt_, index, NonNullData(text), text.size(),
                          SQLITE_TRANSIENT, SQLITE_UTF8),
      index);
}

absl::Status Statement::Bind(int index, Blob blob) {
  return CheckBind(sqlite3_bind_blob64(stmt_, index, NonNullData(blob.bytes),
                                       blob.bytes.size(), SQLITE_TRANSIENT),
                   index);
}

absl::Status Statement::Bind(int index, std::optional<Blob> blob) {
  if (!blob.has_value()) return Bind(index, Null{});
  return Bind(index, *blob);
}

absl::Status Statement::Bind(int index, Null) {
  return CheckBind(sqlite3_bind_null(stmt_, index), index);
}

absl::StatusOr<bool> Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return StatusFromSqlite(rc, db_, What("step"));
}

absl::Status Statement::Run() {
  absl::StatusOr<bool> row = Step();
  if (!row.ok()) return row.status();
  if (*row) return absl::InternalError(What("unexpected row from"));
  return absl::OkStatus();
}

absl::Status Statement::Reset() {
  const int rc = sqlite3_reset(stmt_);
  if (rc != SQLITE_OK) return StatusFromSqlite(rc, db_, What("reset"));
  return absl::OkStatus();
}

int64_t Statement::ColumnInt64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::optional<int64_t> Statement::ColumnOptionalInt64(int column) const {
  if (ColumnIsNull(column)) return std::nullopt;
  return ColumnInt64(column);
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::string Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return std::string();
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

absl::string_view Statement::ColumnBlob(int column) const {
  const void* data = sqlite3_column_blob(stmt_, column);
  if (data == nullptr) return absl::string_view();
  return absl::string_view(
      static_cast<const char*>(data),
      static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::string Statement::What(absl::string_view verb) const {
  absl::string_view sql = sqlite3_sql(stmt_);
  const bool cut = sql.size() > kMaxSqlInMessage;
  return absl::StrCat(verb, " \"", sql.substr(0, kMaxSqlInMessage),
                      cut ? "...\"" : "\"");
}

}  // namespace gw::store::sqlite
