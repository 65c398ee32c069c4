// tools/partners/th_rtp_mock/receiver.cc
#include "tools/partners/th_rtp_mock/receiver.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "gateway/crypto/sha256.h"
#include "gateway/util/uuid.h"
#include "tools/partners/th_rtp_mock/th_codes.h"
#include "tools/partners/th_rtp_mock/th_dates.h"
#include "tools/partners/th_rtp_mock/th_frame_writer.h"

namespace gw::th_rtp_mock {
namespace {

constexpr char kSeenFile[] = "seen.jsonl";
constexpr char kLogFile[] = "received.jsonl";
constexpr char kReceivedDir[] = "received";

std::string ErrnoText() { return std::strerror(errno); }

absl::Status MakeDir(const std::string& path) {
  if (mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
    return absl::UnavailableError(absl::StrCat(path, ": ", ErrnoText()));
  }
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return absl::UnavailableError(absl::StrCat(path, ": not a directory"));
  }
  return absl::OkStatus();
}

absl::Status WriteAll(int fd, absl::string_view data, const std::string& path) {
  while (!data.empty()) {
    const ssize_t n = write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::UnavailableError(absl::StrCat(path, ": ", ErrnoText()));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

// Appends `line` and a newline, then fsyncs.
absl::Status AppendLine(const std::string& path, absl::string_view line) {
  const int fd =
      open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    return absl::UnavailableError(absl::StrCat(path, ": ", ErrnoText()));
  absl::Status status = WriteAll(fd, absl::StrCat(line, "\n"), path);
  if (status.ok() && fsync(fd) != 0) {
    status =
        absl::UnavailableError(absl::StrCat(path, ": fsync: ", ErrnoText()));
  }
  close(fd);
  return status;
}

// Writes `path` through a temporary file, fsync and rename, then fsyncs
// the directory, so a reader sees the whole file or none.
absl::Status WriteFileDurably(const std::string& dir, const std::string& name,
                              absl::string_view data) {
  const std::string path = absl::StrCat(dir, "/", name);
  const std::string temp = absl::StrCat(path, ".tmp");
  const int fd =
      open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    return absl::UnavailableError(absl::StrCat(temp, ": ", ErrnoText()));
  absl::Status status = WriteAll(fd, data, temp);
  if (status.ok() && fsync(fd) != 0) {
    status =
        absl::UnavailableError(absl::StrCat(temp, ": fsync: ", ErrnoText()));
  }
  close(fd);
  if (!status.ok()) return status;
  if (rename(temp.c_str(), path.c_str()) != 0) {
    return absl::UnavailableError(absl::StrCat(path, ": ", ErrnoText()));
  }
  const int dir_fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd >= 0) {
    fsync(dir_fd);
    close(dir_fd);
  }
  return absl::OkStatus();
}

std::string Dump(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

nlohmann::json NameJson(const DecodedRecord& sb, const char* script,
                        const char* prefix) {
  nlohmann::json name = {{"script", script}};
  for (const char* part : {"GIVEN", "FAMILY", "FULL"}) {
    std::string key = absl::AsciiStrToLower(part);
    name[key] = sb.Get(absl::StrCat(prefix, part));
  }
  return name;
}

}  // namespace

std::string FrameReport::Answer() const {
  return accepted ? "AK" : absl::StrCat("NK ", code);
}

nlohmann::json FrameReport::ToJson(bool personal_data) const {
  nlohmann::json json;
  json["message_id"] = message_id;
  json["type"] = type;
  json["received_at"] = received_at;
  json["received_at_utc"] = TimestampToUtcText(received_at);
  json["duplicate"] = duplicate;
  json["answer"] = Answer();
  json["body_sha256"] = body_sha256;
  if (accepted) {
    json["partner_ref"] = partner_ref;
  } else {
    json["nk"] = {{"code", code},
                  {"name", ReasonName(code)},
                  {"retryable", IsRetryable(code)},
                  {"record_no", record_no},
                  {"field", field},
                  {"detail", detail}};
  }
  if (!stored_file.empty()) json["stored_file"] = stored_file;
  if (frame == nullptr) return json;
  const DecodedRecord& header = frame->header();
  json["sender"] = frame->sender;
  json["created_at"] = frame->created_at;
  json["key_id"] = frame->key_id;
  json["case_ref"] = header.Get("CASE_REF");
  if (type == "AL") {
    json["alert_id"] = header.Get("ALERT_ID");
    json["kind"] = header.Get("KIND");
    json["priority"] = header.Get("PRIORITY");
    json["handling_code"] = header.Get("HANDLING_CODE");
    json["origin_agency"] = header.Get("ORIGIN_AGENCY");
    json["recipients"] = header.Get("RECIPIENTS");
    json["narr_omitted"] = header.Get("NARR_OMITTED");
  } else if (type == "RQ" || type == "RD") {
    json["request_id"] = header.Get("REQUEST_ID");
    if (type == "RQ") {
      json["requesting_agency"] = header.Get("REQUESTING_AGENCY");
      json["receiving_agency"] = header.Get("RECEIVING_AGENCY");
    } else {
      json["state"] = header.Get("STATE");
      json["decided_by"] = header.Get("DECIDED_BY");
    }
  } else if (type == "CS") {
    json["owner_agency"] = header.Get("OWNER_AGENCY");
    json["state"] = header.Get("STATE");
    json["shared_with"] = header.Get("SHARED_WITH");
  }
  json["text_subst"] = header.Get("TEXT_SUBST");
  nlohmann::json langs = nlohmann::json::array();
  nlohmann::json texts = nlohmann::json::array();
  for (const DecodedText& text : frame->texts) {
    if (text.topic == "NARR") langs.push_back(text.lang);
    nlohmann::json entry = {
        {"topic", text.topic}, {"seq", text.seq}, {"lang", text.lang}};
    if (personal_data) entry["text"] = text.text;
    texts.push_back(entry);
  }
  json["texts"] = texts;
  if (type == "AL") json["narrative_langs"] = langs;
  nlohmann::json subjects = nlohmann::json::array();
  for (const DecodedRecord* sb : frame->Subjects()) {
    nlohmann::json subject = {{"seq", std::stoi(sb->Get("SUBJ_SEQ"))},
                              {"role", sb->Get("ROLE")},
                              {"name_flag", sb->Get("NAME_FLAG")},
                              {"truncated", sb->Get("TRUNCATED")}};
    if (personal_data) {
      subject["sex"] = sb->Get("SEX");
      subject["birth_date"] = sb->Get("BIRTH_DATE");
      subject["age_estimate"] = sb->Get("AGE_ESTIMATE");
      subject["nationality"] = sb->Get("NATIONALITY");
      nlohmann::json names = nlohmann::json::array();
      const nlohmann::json thai = NameJson(*sb, "Thai", "TH_");
      const nlohmann::json latin = NameJson(*sb, "Latn", "LATN_");
      for (const nlohmann::json* name : {&thai, &latin}) {
        if (!(*name)["given"].get<std::string>().empty() ||
            !(*name)["family"].get<std::string>().empty() ||
            !(*name)["full"].get<std::string>().empty()) {
          names.push_back(*name);
        }
      }
      subject["names"] = names;
      nlohmann::json documents = nlohmann::json::array();
      for (const DecodedRecord* doc :
           frame->Documents(std::stoi(sb->Get("SUBJ_SEQ")))) {
        documents.push_back({{"use", doc->Get("DOC_USE")},
                             {"type", doc->Get("DOC_TYPE")},
                             {"number", doc->Get("DOC_NUMBER")},
                             {"issuing_state", doc->Get("ISSUING_STATE")},
                             {"expiry", doc->Get("EXPIRY")}});
      }
      subject["documents"] = documents;
    }
    subjects.push_back(subject);
  }
  json["subjects"] = subjects;
  return json;
}

std::string FrameReport::ToLine() const {
  std::string line = absl::StrCat(type.empty() ? "??" : type, " ",
                                  message_id.empty() ? "-" : message_id);
  if (frame != nullptr) {
    const std::string& case_ref = frame->header().Get("CASE_REF");
    if (!case_ref.empty()) absl::StrAppend(&line, " case_ref=", case_ref);
  }
  if (accepted) {
    absl::StrAppend(&line, " -> AK duplicate=", duplicate ? "Y" : "N",
                    " partner_ref=", partner_ref, " received_at=", received_at);
  } else {
    absl::StrAppend(&line, " -> NK ", code, " ", ReasonName(code),
                    " record=", record_no,
                    " field=", field.empty() ? "-" : field);
    if (!detail.empty()) absl::StrAppend(&line, " (", detail, ")");
  }
  return line;
}

Receiver::Receiver(ReceiverOptions options) : options_(std::move(options)) {}

absl::StatusOr<std::unique_ptr<Receiver>> Receiver::Open(
    ReceiverOptions options) {
  if (options.signer == nullptr) {
    return absl::InvalidArgumentError("the receiver needs a signing key");
  }
  if (options.store_dir.empty()) {
    return absl::InvalidArgumentError("the receiver needs a store directory");
  }
  std::unique_ptr<Receiver> receiver(new Receiver(std::move(options)));
  absl::Status status = MakeDir(receiver->options_.store_dir);
  if (status.ok()) {
    status =
        MakeDir(absl::StrCat(receiver->options_.store_dir, "/", kReceivedDir));
  }
  if (status.ok()) status = receiver->Load();
  if (!status.ok()) return status;
  return receiver;
}

absl::Status Receiver::Load() {
  const std::string path = absl::StrCat(options_.store_dir, "/", kSeenFile);
  std::ifstream in(path);
  if (!in) return absl::OkStatus();  // a new store
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    nlohmann::json json = nlohmann::json::parse(line, nullptr, false);
    if (json.is_discarded() || !json.is_object()) {
      // A line cut by a crash while it was written: its AK was never sent,
      // so forgetting it is safe. A bad line in the middle is not.
      if (in.peek() == EOF) break;
      return absl::UnavailableError(absl::StrCat(
          path, ": line ", number, " is not JSON; repair or remove the file"));
    }
    // Members that are not strings read as "" (never an exception).
    auto text = [&json](const char* key) {
      auto it = json.find(key);
      return it != json.end() && it->is_string() ? it->get<std::string>()
                                                 : std::string();
    };
    seen_[absl::StrCat(text("sender"), " ", text("message_id"))] =
        Seen{text("body_sha256"), text("received_at"), text("partner_ref")};
  }
  return absl::OkStatus();
}

std::string Receiver::NewMessageId() const {
  return options_.new_message_id ? options_.new_message_id()
                                 : util::NewUuidV4();
}

ReaderOptions Receiver::ReaderFor(absl::string_view tls_peer_agency) const {
  ReaderOptions reader;
  reader.own_agency = options_.own_agency;
  reader.peer_agency = std::string(tls_peer_agency);
  // The keys are registered to peer_agency only (README §2.6).
  if (tls_peer_agency == options_.peer_agency) {
    reader.peer_keys = options_.peer_keys;
  }
  return reader;
}

Answer Receiver::HandleDataFrame(absl::string_view body,
                                 absl::string_view tls_peer_agency) {
  const absl::Time now = options_.now();
  FrameReport report;
  report.received_at = FormatBeTimestamp(now);
  report.body_sha256 = crypto::Sha256Hex(body);
  ReadResult read = ReadFrame(body, ReaderFor(tls_peer_agency));
  report.type = read.frame.header_type;
  if (!read.ok()) return Reject(body, std::move(report), *read.rejection);

  auto frame = std::make_shared<const DecodedFrame>(std::move(read.frame));
  report.frame = frame;
  report.message_id = frame->message_id;
  const DecodedRecord& header = frame->header();
  const std::string key = absl::StrCat(frame->sender, " ", frame->message_id);

  // §6 step 7: duplicates first.
  auto known = seen_.find(key);
  if (known != seen_.end()) {
    if (known->second.body_sha256 == report.body_sha256) {
      report.duplicate = true;
      return Accept(body, std::move(report), known->second);
    }
    return Reject(
        body, std::move(report),
        {kDuplicateConflict, 1, absl::StrCat(frame->header_type, ".MESSAGE_ID"),
         "message id already received with another body"});
  }
  // Entitlement (README §2.10).
  const std::string& own = options_.own_agency;
  auto lists_own = [&](const std::string& list) {
    for (absl::string_view code : absl::StrSplit(list, ',')) {
      if (code == own) return true;
    }
    return false;
  };
  if (frame->header_type == "AL" && !lists_own(header.Get("RECIPIENTS"))) {
    return Reject(body, std::move(report),
                  {kNotPermitted, 1, "AL.RECIPIENTS",
                   "the alert does not list this receiver"});
  }
  if (frame->header_type == "RQ" && header.Get("REQUESTING_AGENCY") != own &&
      header.Get("RECEIVING_AGENCY") != own) {
    return Reject(body, std::move(report),
                  {kNotPermitted, 1, "RQ.RECEIVING_AGENCY",
                   "this receiver is no party to the request"});
  }
  if (frame->header_type == "CS" && header.Get("OWNER_AGENCY") != own &&
      !lists_own(header.Get("SHARED_WITH"))) {
    return Reject(body, std::move(report),
                  {kNotPermitted, 1, "CS.SHARED_WITH",
                   "the case is not shared with this receiver"});
  }
  // References: the test hook.
  if (!options_.refuse_case_prefix.empty() &&
      absl::StartsWith(header.Get("CASE_REF"), options_.refuse_case_prefix)) {
    return Reject(
        body, std::move(report),
        {kUnknownReference, 1, absl::StrCat(frame->header_type, ".CASE_REF"),
         "case reference not known"});
  }

  Seen seen{report.body_sha256, report.received_at,
            absl::StrFormat("RTP-IN-%d-%06d", BeYear(now),
                            static_cast<int>(seen_.size()) + 1)};
  absl::Status stored = Store(body, frame->message_id, seen);
  if (!stored.ok()) {
    std::fprintf(stderr, "th-rtp-mock: cannot store a frame: %s\n",
                 std::string(stored.message()).c_str());
    return Reject(body, std::move(report),
                  {kInternalError, 0, "", "the message could not be stored"});
  }
  seen_[key] = seen;
  report.stored_file =
      absl::StrCat(kReceivedDir, "/", frame->message_id, ".bin");
  return Accept(body, std::move(report), seen);
}

absl::Status Receiver::Store(absl::string_view body,
                             const std::string& message_id, const Seen& seen) {
  absl::Status status = WriteFileDurably(
      absl::StrCat(options_.store_dir, "/", kReceivedDir),
      absl::StrCat(message_id, ".bin"), WithLengthPrefix(body));
  if (!status.ok()) return status;
  const nlohmann::json line = {{"sender", options_.peer_agency},
                               {"message_id", message_id},
                               {"body_sha256", seen.body_sha256},
                               {"received_at", seen.received_at},
                               {"partner_ref", seen.partner_ref}};
  return AppendLine(absl::StrCat(options_.store_dir, "/", kSeenFile),
                    Dump(line));
}

Answer Receiver::Accept(absl::string_view body, FrameReport report,
                        const Seen& seen) {
  AckValues ack;
  ack.header = {NewMessageId(), options_.own_agency, options_.peer_agency,
                FormatBeTimestamp(options_.now())};
  ack.ack_message_id = report.message_id;
  ack.ack_body_sha256 = report.body_sha256;
  ack.received_at = seen.received_at;
  ack.duplicate = report.duplicate;
  ack.partner_ref = seen.partner_ref;
  report.accepted = true;
  report.received_at = seen.received_at;
  report.partner_ref = seen.partner_ref;
  Answer answer;
  absl::StatusOr<std::string> encoded = EncodeAck(ack, *options_.signer);
  if (!encoded.ok()) {
    // Only a broken signer gets here; the message stays stored and a
    // resend will be answered as a duplicate.
    return Reject(body, std::move(report),
                  {kInternalError, 0, "", "the answer could not be signed"});
  }
  answer.frame = WithLengthPrefix(*encoded);
  answer.report = std::move(report);
  Log(answer.report);
  return answer;
}

Answer Receiver::Reject(absl::string_view body, FrameReport report,
                        const Rejection& rejection) {
  report.accepted = false;
  report.code = rejection.code;
  report.record_no = rejection.record_no;
  report.field = rejection.field;
  report.detail = rejection.detail;
  const bool unread =
      rejection.code == kFrameLength || rejection.code == kRecordStructure;
  if (report.message_id.empty() && !unread) {
    report.message_id = EchoMessageId(body);
  }
  NakValues nak;
  nak.header = {NewMessageId(), options_.own_agency, options_.peer_agency,
                FormatBeTimestamp(options_.now())};
  nak.nak_message_id = unread ? "" : EchoMessageId(body);
  nak.nak_body_sha256 = unread ? "" : report.body_sha256;
  nak.received_at = report.received_at.empty()
                        ? FormatBeTimestamp(options_.now())
                        : report.received_at;
  nak.reason_code = rejection.code;
  nak.record_no = rejection.record_no;
  nak.field_name = rejection.field;
  nak.reason_text = ReasonText(rejection.code);
  if (!rejection.detail.empty() && rejection.code != kUnknownReference) {
    absl::StrAppend(&nak.reason_text, ": ", rejection.detail);
  }
  Answer answer;
  absl::StatusOr<std::string> encoded = EncodeNak(nak, *options_.signer);
  if (encoded.ok()) answer.frame = WithLengthPrefix(*encoded);
  answer.report = std::move(report);
  Log(answer.report);
  return answer;
}

Answer Receiver::WindowExceeded(absl::string_view body) {
  FrameReport report;
  report.received_at = FormatBeTimestamp(options_.now());
  report.body_sha256 = crypto::Sha256Hex(body);
  if (body.size() >= 2 && IsDataHeader(body.substr(0, 2))) {
    report.type = std::string(body.substr(0, 2));
  }
  return Reject(body, std::move(report),
                {kWindowExceeded, 0, "",
                 "32 data frames were unanswered when it arrived"});
}

Answer Receiver::FrameLength(uint32_t length) {
  FrameReport report;
  report.received_at = FormatBeTimestamp(options_.now());
  return Reject("", std::move(report),
                {kFrameLength, 0, "",
                 absl::StrCat("LEN ", length, " outside 220..1048576")});
}

absl::StatusOr<std::string> Receiver::Heartbeat() {
  absl::StatusOr<std::string> body =
      EncodeHeartbeat({NewMessageId(), options_.own_agency,
                       options_.peer_agency, FormatBeTimestamp(options_.now())},
                      *options_.signer);
  if (!body.ok()) return body.status();
  return WithLengthPrefix(*body);
}

absl::Status Receiver::CheckHeartbeat(absl::string_view body,
                                      absl::string_view tls_peer_agency) const {
  ReadResult read = ReadFrame(body, ReaderFor(tls_peer_agency));
  if (!read.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("heartbeat refused: ", read.rejection->code, " ",
                     ReasonName(read.rejection->code), " ",
                     read.rejection->field, " (", read.rejection->detail, ")"));
  }
  if (read.frame.header_type != "HB") {
    return absl::InvalidArgumentError("not a heartbeat frame");
  }
  return absl::OkStatus();
}

void Receiver::Log(const FrameReport& report) {
  absl::Status status =
      AppendLine(absl::StrCat(options_.store_dir, "/", kLogFile),
                 Dump(report.ToJson(/*personal_data=*/true)));
  if (!status.ok()) {
    std::fprintf(stderr, "th-rtp-mock: cannot append to %s/%s: %s\n",
                 options_.store_dir.c_str(), kLogFile,
                 std::string(status.message()).c_str());
  }
}

}  // namespace gw::th_rtp_mock
