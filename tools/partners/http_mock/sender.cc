// tools/partners/http_mock/sender.cc
#include "tools/partners/http_mock/sender.h"

#include <algorithm>
#include <thread>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/clock.h"
#include "gateway/crypto/sha256.h"
#include "gateway/util/file.h"
#include "gateway/util/uuid.h"
#include "tools/partners/http_mock/http_signature.h"
#include "tools/partners/http_mock/https_client.h"
#include "tools/partners/http_mock/receiver.h"

namespace gw::http_mock {
namespace {

std::string Dump(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string OrDash(const std::string& text) {
  return text.empty() ? "-" : text;
}

}  // namespace

absl::StatusOr<Outgoing> PrepareOutgoing(const SendOptions& options,
                                         const PartnerFormat& format,
                                         absl::Time now) {
  const std::string kind = absl::StrReplaceAll(options.kind, {{"-", "_"}});
  const std::string own =
      options.own_agency.empty() ? format.agency() : options.own_agency;
  Outgoing outgoing;
  Endpoint endpoint;
  for (const Endpoint& candidate : format.gateway_endpoints()) {
    if (candidate.kind == kind) endpoint = candidate;
  }
  if (endpoint.path.empty()) {
    std::vector<std::string> kinds;
    for (const Endpoint& e : format.gateway_endpoints()) {
      kinds.push_back(e.kind);
    }
    return absl::InvalidArgumentError(absl::StrCat("--kind ", options.kind,
                                                   " is not one of ",
                                                   absl::StrJoin(kinds, ", ")));
  }
  outgoing.path = options.path.empty() ? endpoint.path : options.path;

  if (!options.body_file.empty()) {
    absl::StatusOr<std::string> body = util::ReadFile(options.body_file);
    if (!body.ok()) {
      return absl::Status(body.status().code(),
                          absl::StrCat("--body ", body.status().message()));
    }
    outgoing.body = *std::move(body);
    outgoing.message_id = options.message_id;
    if (outgoing.message_id.empty()) {
      // The body's own id, read the way the gateway reads it.
      std::variant<Accepted, Refusal> read = format.CheckBody(
          endpoint, outgoing.body, "", own, options.peer_agency);
      outgoing.message_id = std::holds_alternative<Accepted>(read)
                                ? std::get<Accepted>(read).message_id
                                : std::get<Refusal>(read).message_id;
    }
    if (outgoing.message_id.empty()) outgoing.message_id = util::NewUuidV4();
    return outgoing;
  }
  outgoing.message_id =
      options.message_id.empty() ? util::NewUuidV4() : options.message_id;
  PartnerFormat::Sample sample;
  sample.kind = kind;
  sample.message_id = outgoing.message_id;
  sample.sender = own;
  sample.recipient = options.peer_agency;
  sample.created_at = FormatTimestamp(now);
  sample.case_ref = options.case_ref;
  absl::StatusOr<std::string> body = format.MakeSample(sample);
  if (!body.ok()) return body.status();
  outgoing.body = *std::move(body);
  return outgoing;
}

std::string TamperedBody(std::string body) {
  for (size_t i = body.size() / 2; i < body.size(); ++i) {
    if (absl::ascii_isalpha(static_cast<unsigned char>(body[i]))) {
      body[i] = static_cast<char>(body[i] ^ 0x20);
      return body;
    }
  }
  for (size_t i = 0; i < body.size(); ++i) {
    if (absl::ascii_isalpha(static_cast<unsigned char>(body[i]))) {
      body[i] = static_cast<char>(body[i] ^ 0x20);
      return body;
    }
  }
  return body;
}

std::string SendAnswer::ToLine() const {
  if (acknowledged) {
    std::string line =
        absl::StrCat(status, " ACCEPTED message_id=", summary.message_id,
                     " received_at=", summary.received_at,
                     " duplicate=", duplicate ? "yes" : "no");
    if (!summary.warnings.empty()) {
      std::vector<std::string> warnings;
      for (const Warning& w : summary.warnings) {
        warnings.push_back(absl::StrCat(w.code, "@", OrDash(w.location)));
      }
      absl::StrAppend(&line, " warnings=", absl::StrJoin(warnings, ","));
    }
    return line;
  }
  return absl::StrCat(
      status, " ", summary.code, " message_id=", OrDash(summary.message_id),
      " location=", OrDash(summary.location), " detail=", summary.detail);
}

nlohmann::json SendAnswer::ToJson() const {
  nlohmann::json warnings = nlohmann::json::array();
  for (const Warning& w : summary.warnings) {
    warnings.push_back({{"code", w.code}, {"location", w.location}});
  }
  return {{"status", status},
          {"acknowledged", acknowledged},
          {"duplicate", duplicate},
          {"message_id", summary.message_id},
          {"received_at", summary.received_at},
          {"payload_sha256", summary.payload_sha256},
          {"code", summary.code},
          {"location", summary.location},
          {"detail", summary.detail},
          {"warnings", warnings}};
}

absl::StatusOr<SendAnswer> CheckAnswer(
    const HttpResponse& response, const Outgoing& sent,
    const std::string& sent_body, const PartnerFormat& format,
    const std::vector<const crypto::Verifier*>& gateway_keys, absl::Time now) {
  VerifyOptions verify;
  verify.keys = gateway_keys;
  verify.now = now;
  std::variant<VerifiedMessage, Refusal> verified =
      VerifyResponseSignature(response, sent.message_id, verify);
  if (auto* refusal = std::get_if<Refusal>(&verified)) {
    return absl::DataLossError(absl::StrCat(
        "the gateway's answer (HTTP ", response.status,
        ") is not validly signed: ", refusal->code, ": ", refusal->detail));
  }
  absl::StatusOr<AnswerSummary> summary =
      format.ReadAnswer(response.status, response.body);
  if (!summary.ok()) {
    return absl::DataLossError(
        absl::StrCat("the gateway's answer (HTTP ", response.status,
                     ") is not an acknowledgement or error body: ",
                     summary.status().message()));
  }
  SendAnswer answer;
  answer.status = response.status;
  answer.summary = *std::move(summary);
  if (response.status == 200 || response.status == 202) {
    if (!answer.summary.acknowledged) {
      return absl::DataLossError(
          absl::StrCat("the gateway answered HTTP ", response.status,
                       " without an acknowledgement body"));
    }
    if (answer.summary.message_id != sent.message_id) {
      return absl::DataLossError(
          "the acknowledgement names another message id");
    }
    if (answer.summary.payload_sha256 != crypto::Sha256Hex(sent_body)) {
      return absl::DataLossError(
          "the acknowledgement's payload digest is not the SHA-256 of the "
          "sent body (ACK_DIGEST_MISMATCH)");
    }
    answer.acknowledged = true;
    answer.duplicate = response.status == 200;
    return answer;
  }
  if (response.status >= 400 && response.status <= 599) {
    if (answer.summary.acknowledged) {
      return absl::DataLossError(absl::StrCat("the gateway answered HTTP ",
                                              response.status,
                                              " with an acknowledgement body"));
    }
    if (!answer.summary.message_id.empty() &&
        answer.summary.message_id != sent.message_id) {
      return absl::DataLossError("the error body names another message id");
    }
    return answer;
  }
  return absl::DataLossError(
      absl::StrCat("the gateway answered HTTP ", response.status,
                   ", which the interface does not use"));
}

int RunSend(const SendOptions& options, const PartnerFormat& format,
            const crypto::Signer& signer,
            const std::vector<const crypto::Verifier*>& gateway_keys,
            std::ostream& out, std::ostream& err) {
  const std::string& program = options.program;
  const std::string where = absl::StrCat(options.host, ":", options.port);
  absl::StatusOr<Outgoing> outgoing =
      PrepareOutgoing(options, format, absl::Now());
  if (!outgoing.ok()) {
    err << program
        << ": cannot build the message: " << outgoing.status().message()
        << "; check --kind, --case-ref, --message-id and --body." << std::endl;
    return 3;
  }
  const std::string sent_body =
      options.tamper_body ? TamperedBody(outgoing->body) : outgoing->body;
  const std::string target_uri =
      absl::StrCat(options.gateway_base_uri, outgoing->path);
  std::string host_header = options.gateway_base_uri;
  if (const size_t scheme = host_header.find("://");
      scheme != std::string::npos) {
    host_header = host_header.substr(scheme + 3);
  }

  absl::StatusOr<std::unique_ptr<HttpsClient>> client =
      HttpsClient::Create(options.tls);
  if (!client.ok()) {
    err << program << ": " << client.status().message()
        << "; pass readable PEM files (dev PKI: var/pki/"
        << (options.own_agency.empty() ? format.agency() : options.own_agency)
        << "/gateway.crt, gateway.key and var/pki/CN-MPS/ca.crt)." << std::endl;
    return 3;
  }
  bool any_refusal = false;
  int64_t last_created = 0;
  for (int i = 0; i < options.repeat; ++i) {
    // A fresh signature per attempt, never in the same second as the last:
    // the gateway refuses a signature it has already seen.
    int64_t created = absl::ToUnixSeconds(absl::Now());
    while (created <= last_created) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      created = absl::ToUnixSeconds(absl::Now());
    }
    last_created = created;
    absl::StatusOr<HeaderList> headers =
        SignedRequestHeaders(signer, "POST", target_uri, format.media_type(),
                             outgoing->body, outgoing->message_id, created);
    if (!headers.ok()) {
      err << program
          << ": cannot sign the request: " << headers.status().message()
          << "; pass an Ed25519 --signing-key and its --signing-cert."
          << std::endl;
      return 3;
    }
    if (!(*client)->connected()) {
      absl::Status connected = (*client)->Connect(
          options.host, options.port, options.server_name, options.peer_agency);
      if (!connected.ok()) {
        err << program << ": " << connected.message()
            << "; check that the gateway's inbound endpoint listens on "
            << where
            << ", that --peer-ca is the CA of its certificate and that "
               "--tls-server-name matches its subjectAltName."
            << std::endl;
        return 1;
      }
    }
    HttpRequest request{"POST", outgoing->path, *std::move(headers), sent_body};
    absl::StatusOr<HttpResponse> response =
        (*client)->RoundTrip(request, host_header, options.timeout);
    if (!response.ok()) {
      err << program << ": " << response.status().message() << " for message "
          << outgoing->message_id << " at " << where
          << "; check the gateway's log and send again with --message-id "
          << outgoing->message_id << " (a duplicate is answered 200)."
          << std::endl;
      return 1;
    }
    absl::StatusOr<SendAnswer> answer = CheckAnswer(
        *response, *outgoing, sent_body, format, gateway_keys, absl::Now());
    if (!answer.ok()) {
      err << program << ": " << answer.status().message() << " (message "
          << outgoing->message_id
          << "); the delivery is not confirmed: check --gateway-signing-cert "
             "and the gateway's adapter."
          << std::endl;
      return 1;
    }
    any_refusal |= !answer->acknowledged;
    out << (options.json ? Dump(answer->ToJson()) : answer->ToLine())
        << std::endl;
  }
  (*client)->Close();
  return any_refusal ? 2 : 0;
}

}  // namespace gw::http_mock
