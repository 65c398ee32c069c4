// tools/partners/th_rtp_mock/sender.cc
#include "tools/partners/th_rtp_mock/sender.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gateway/crypto/sha256.h"
#include "gateway/util/uuid.h"
#include "tools/partners/th_rtp_mock/th_codes.h"
#include "tools/partners/th_rtp_mock/th_dates.h"
#include "tools/partners/th_rtp_mock/th_frame_writer.h"
#include "tools/partners/th_rtp_mock/th_layout.h"
#include "tools/partners/th_rtp_mock/tls_client.h"

namespace gw::th_rtp_mock {
namespace {

std::string DateOf(absl::Time time) {
  return FormatBeTimestamp(time).substr(0, 8);
}

// Six decimal digits taken from a message id, for default business ids.
std::string SerialFrom(const std::string& message_id) {
  unsigned long value = 0;
  for (size_t i = 0; i < message_id.size() && i < 8; ++i) {
    const char c = message_id[i];
    value = value * 16 +
            static_cast<unsigned long>(c >= 'a' ? c - 'a' + 10 : c - '0');
  }
  return absl::StrFormat("%06lu", value % 1000000);
}

}  // namespace

absl::StatusOr<std::string> BuildSendBody(const SendOptions& options,
                                          const crypto::Signer& signer,
                                          absl::Time now) {
  const std::string message_id =
      options.message_id.empty() ? util::NewUuidV4() : options.message_id;
  const std::string serial = SerialFrom(message_id);
  const int year = BeYear(now);
  CommonHeader header{message_id, options.own_agency, options.peer_agency,
                      FormatBeTimestamp(now)};
  if (options.kind == "alert") {
    AlertValues alert = SampleInboundAlert();
    alert.header = header;
    alert.alert_id = options.alert_id.empty()
                         ? absl::StrCat("RTP-AL-", year, "-", serial)
                         : options.alert_id;
    alert.case_ref = options.case_ref.empty()
                         ? absl::StrCat("RTP-CASE-", year, "-", serial)
                         : options.case_ref;
    alert.origin_agency = options.own_agency;
    alert.recipients = options.peer_agency;
    alert.last_seen_at = FormatBeTimestamp(now - absl::Hours(48));
    return EncodeAlert(alert, signer);
  }
  if (options.kind == "repatriation-request") {
    RequestValues request = SampleInboundRequest();
    request.header = header;
    request.request_id = options.request_id.empty()
                             ? absl::StrCat("RTP-RQ-", year, "-", serial)
                             : options.request_id;
    request.case_ref = options.case_ref.empty()
                           ? absl::StrCat("RTP-CASE-", year, "-", serial)
                           : options.case_ref;
    request.requesting_agency = options.own_agency;
    request.receiving_agency = options.peer_agency;
    request.bia_date = DateOf(now - absl::Hours(48));
    request.handover_date = DateOf(now + absl::Hours(24 * 14));
    return EncodeRequest(request, signer);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--kind ", options.kind, ": use alert or repatriation-request"));
}

std::string AnswerSummary::ToLine() const {
  if (accepted) {
    return absl::StrCat("AK ", message_id, " received_at=", received_at,
                        " duplicate=", duplicate ? "Y" : "N", " partner_ref=",
                        partner_ref.empty() ? "-" : partner_ref);
  }
  return absl::StrCat("NK ", code, " ", field.empty() ? "-" : field, ": ", text,
                      " (retryable=", retryable ? "Y" : "N", ")");
}

nlohmann::json AnswerSummary::ToJson() const {
  nlohmann::json json = {{"answer", accepted ? "AK" : "NK"},
                         {"message_id", message_id},
                         {"received_at", received_at},
                         {"received_at_utc", TimestampToUtcText(received_at)}};
  if (accepted) {
    json["duplicate"] = duplicate;
    json["partner_ref"] = partner_ref;
  } else {
    json["code"] = code;
    json["name"] = ReasonName(code);
    json["retryable"] = retryable;
    json["record_no"] = record_no;
    json["field"] = field;
    json["text"] = text;
  }
  return json;
}

absl::StatusOr<AnswerSummary> CheckAnswer(const DecodedFrame& answer,
                                          const std::string& sent_message_id,
                                          const std::string& sent_body_sha256) {
  const DecodedRecord& header = answer.header();
  AnswerSummary summary;
  summary.message_id = sent_message_id;
  summary.received_at = header.Get("RECEIVED_AT");
  if (answer.header_type == "AK") {
    if (header.Get("ACK_MESSAGE_ID") != sent_message_id) {
      return absl::DataLossError(
          "the AK names another message (ACK_MESSAGE_ID)");
    }
    if (header.Get("ACK_BODY_SHA256") != sent_body_sha256) {
      return absl::DataLossError(
          "the AK's ACK_BODY_SHA256 is not the digest of the sent body "
          "(ACK_DIGEST_MISMATCH)");
    }
    summary.accepted = true;
    summary.duplicate = header.Get("DUPLICATE") == "Y";
    summary.partner_ref = header.Get("PARTNER_REF");
    return summary;
  }
  if (answer.header_type == "NK") {
    summary.code = std::stoi(header.Get("REASON_CODE"));
    summary.retryable = header.Get("RETRYABLE") == "Y";
    summary.record_no = std::stoi(header.Get("RECORD_NO"));
    summary.field = header.Get("FIELD_NAME");
    summary.text = header.Get("REASON_TEXT");
    const bool unread =
        summary.code == kFrameLength || summary.code == kRecordStructure;
    if (!unread && header.Get("NAK_MESSAGE_ID") != sent_message_id) {
      return absl::DataLossError(
          "the NK names another message (NAK_MESSAGE_ID)");
    }
    if (!unread && header.Get("NAK_BODY_SHA256") != sent_body_sha256) {
      return absl::DataLossError(
          "the NK's NAK_BODY_SHA256 is not the digest of the sent body");
    }
    return summary;
  }
  return absl::DataLossError(absl::StrCat(
      "the gateway sent a ", answer.header_type,
      " frame where an AK or NK was due (protocol violation, section 2.1)"));
}

int RunSend(const SendOptions& options, const crypto::Signer& signer,
            const std::vector<const crypto::Verifier*>& gateway_keys,
            std::ostream& out, std::ostream& err) {
  const std::string where = absl::StrCat(options.host, ":", options.port);
  absl::StatusOr<std::string> body =
      BuildSendBody(options, signer, absl::Now());
  if (!body.ok()) {
    err << "th-rtp-mock: cannot build the frame: " << body.status().message()
        << "; check --case-ref, --alert-id and --request-id (1-64 of "
           "A-Z a-z 0-9 . _ : / -)."
        << std::endl;
    return 3;
  }
  const std::string message_id = body->substr(4, 36);
  const std::string digest = crypto::Sha256Hex(*body);
  const std::string frame = WithLengthPrefix(*body);

  absl::StatusOr<std::unique_ptr<TlsClient>> client =
      TlsClient::Create(options.tls);
  if (!client.ok()) {
    err << "th-rtp-mock: " << client.status().message()
        << "; pass readable PEM files (for the dev PKI: "
           "var/pki/TH-RTP/gateway.crt, gateway.key, var/pki/CN-MPS/ca.crt)."
        << std::endl;
    return 3;
  }
  absl::Status connected = (*client)->Connect(
      options.host, options.port, options.server_name, options.peer_agency);
  if (!connected.ok()) {
    err << "th-rtp-mock: " << connected.message()
        << "; check that the gateway's TH-RTP endpoint listens on " << where
        << ", that --peer-ca is the CA of its certificate and that "
           "--tls-server-name matches its subjectAltName."
        << std::endl;
    return 1;
  }

  ReaderOptions reader;
  reader.own_agency = options.own_agency;
  reader.peer_agency = options.peer_agency;
  reader.peer_keys = gateway_keys;
  bool any_nak = false;
  for (int i = 0; i < options.repeat; ++i) {
    absl::Status sent = (*client)->Write(frame, options.answer_timeout);
    if (!sent.ok()) {
      err << "th-rtp-mock: " << sent.message() << " to " << where
          << "; check the gateway's log and send again (the same "
             "--message-id is answered as a duplicate)."
          << std::endl;
      return 1;
    }
    const auto deadline =
        std::chrono::steady_clock::now() + options.answer_timeout;
    while (true) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      absl::StatusOr<std::string> answer =
          (*client)->ReadFrame(std::max(left, std::chrono::milliseconds(1)));
      if (!answer.ok()) {
        err << "th-rtp-mock: " << answer.status().message() << " for message "
            << message_id << " from " << where << " (waited up to "
            << std::chrono::duration_cast<std::chrono::seconds>(
                   options.answer_timeout)
                   .count()
            << " s); check the gateway's log and send again with "
               "--message-id "
            << message_id << "." << std::endl;
        return 1;
      }
      ReadResult read = ReadFrame(*answer, reader);
      if (!read.ok()) {
        err << "th-rtp-mock: the gateway's answer to " << message_id
            << " is not a valid TH-RTP frame (it would get NK "
            << read.rejection->code << " " << ReasonName(read.rejection->code)
            << " at record " << read.rejection->record_no << " "
            << (read.rejection->field.empty() ? "-" : read.rejection->field)
            << ": " << read.rejection->detail
            << "); check --gateway-signing-cert and the gateway's TH-RTP "
               "encoder."
            << std::endl;
        return 1;
      }
      if (read.frame.header_type == "HB") continue;
      absl::StatusOr<AnswerSummary> summary =
          CheckAnswer(read.frame, message_id, digest);
      if (!summary.ok()) {
        err << "th-rtp-mock: " << summary.status().message() << " for "
            << message_id
            << "; the delivery is not confirmed: check the gateway's TH-RTP "
               "adapter."
            << std::endl;
        return 1;
      }
      any_nak |= !summary->accepted;
      if (options.json) {
        out << summary->ToJson().dump(-1, ' ', false,
                                      nlohmann::json::error_handler_t::replace)
            << std::endl;
      } else {
        out << summary->ToLine() << std::endl;
      }
      break;
    }
  }
  (*client)->Close();
  return any_nak ? 2 : 0;
}

}  // namespace gw::th_rtp_mock
