// tools/partners/http_mock/receiver.cc
#include "tools/partners/http_mock/receiver.h"

#include <cstdio>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gateway/crypto/sha256.h"
#include "gateway/util/uuid.h"
#include "tools/partners/http_mock/http_signature.h"

namespace gw::http_mock {
namespace {

Refusal MakeRefusal(int status, const char* code, std::string detail) {
  Refusal refusal;
  refusal.http_status = status;
  refusal.code = code;
  refusal.detail = std::move(detail);
  return refusal;
}

std::string Dump(const nlohmann::json& json) {
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Steps 2-4 (KH-CNP.md §6.4); nullopt when they pass. *endpoint is set
// once step 2 passed.
std::optional<Refusal> CheckRouteSizeAndType(
    const ReceivedRequest& received, const std::vector<Endpoint>& endpoints,
    const std::vector<std::string>& media_types, size_t max_body,
    Endpoint* endpoint) {
  const HttpRequest& request = received.request;
  const Endpoint* found = nullptr;
  for (const Endpoint& candidate : endpoints) {
    if (request.target == candidate.path) found = &candidate;
  }
  if (found == nullptr) {
    return MakeRefusal(404, "WRONG_ENDPOINT",
                       "the path is not an endpoint of this interface");
  }
  if (request.method != "POST") {
    return MakeRefusal(405, "WRONG_ENDPOINT",
                       "only POST is allowed on this endpoint");
  }
  *endpoint = *found;
  if (received.body_too_large || request.body.size() > max_body) {
    return MakeRefusal(
        413, "PAYLOAD_TOO_LARGE",
        absl::StrCat("the body is larger than ", max_body, " bytes"));
  }
  const std::vector<std::string> types =
      HeaderValues(request.headers, "content-type");
  bool type_ok = types.size() == 1;
  if (type_ok) {
    type_ok = false;
    for (const std::string& accepted : media_types) {
      if (absl::EqualsIgnoreCase(types[0], accepted)) type_ok = true;
    }
  }
  if (!type_ok) {
    return MakeRefusal(415, "UNSUPPORTED_MEDIA_TYPE",
                       "Content-Type is missing or not an accepted value");
  }
  if (!HeaderValues(request.headers, "content-encoding").empty()) {
    return MakeRefusal(415, "UNSUPPORTED_MEDIA_TYPE",
                       "Content-Encoding is not used on this interface");
  }
  return std::nullopt;
}

}  // namespace

std::string FormatTimestamp(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                          absl::FromUnixSeconds(absl::ToUnixSeconds(time)),
                          absl::UTCTimeZone());
}

nlohmann::json RequestReport::ToJson(bool personal_data) const {
  nlohmann::json json = {{"time", time},
                         {"method", method},
                         {"path", path},
                         {"status", status},
                         {"message_id", message_id},
                         {"body_sha256", body_sha256}};
  if (!code.empty()) {
    json["code"] = code;
    json["location"] = location;
    json["detail"] = detail;
  }
  if (!kind.empty()) json["kind"] = kind;
  if (!case_ref.empty()) json["case_ref"] = case_ref;
  if (!key_id.empty()) json["key_id"] = key_id;
  if (status == 200 || status == 202) {
    json["duplicate"] = duplicate;
    json["received_at"] = received_at;
    json["partner_ref"] = partner_ref;
  }
  if (!stored_file.empty()) json["stored_file"] = stored_file;
  if (personal_data && !summary.is_null()) json["summary"] = summary;
  return json;
}

std::string RequestReport::ToLine() const {
  std::string line = absl::StrCat(status, " ", method, " ", path, " ",
                                  kind.empty() ? "-" : kind, " ",
                                  message_id.empty() ? "-" : message_id);
  if (!case_ref.empty()) absl::StrAppend(&line, " case_ref=", case_ref);
  if (status == 200 || status == 202) {
    absl::StrAppend(&line, " duplicate=", duplicate ? "yes" : "no",
                    " partner_ref=", partner_ref, " received_at=", received_at);
  } else {
    absl::StrAppend(&line, " ", code,
                    " location=", location.empty() ? "-" : location);
    if (!detail.empty()) absl::StrAppend(&line, " (", detail, ")");
  }
  return line;
}

Receiver::Receiver(const PartnerFormat& format, ReceiverOptions options,
                   std::unique_ptr<Store> store)
    : format_(format), options_(std::move(options)), store_(std::move(store)) {}

absl::StatusOr<std::unique_ptr<Receiver>> Receiver::Open(
    const PartnerFormat& format, ReceiverOptions options) {
  if (options.signer == nullptr) {
    return absl::InvalidArgumentError("the receiver needs a signing key");
  }
  if (options.base_uri.empty()) {
    return absl::InvalidArgumentError("the receiver needs its base URI");
  }
  if (options.own_agency.empty()) options.own_agency = format.agency();
  absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(options.store_dir);
  if (!store.ok()) return store.status();
  return std::unique_ptr<Receiver>(
      new Receiver(format, std::move(options), *std::move(store)));
}

int Receiver::accepted_count() const { return store_->accepted_count(); }

Reply Receiver::Handle(const ReceivedRequest& received) {
  std::lock_guard<std::mutex> lock(mu_);
  RequestReport report;
  report.method = received.request.method;
  report.path = received.request.target;
  if (!received.body_too_large) {
    report.body_sha256 = crypto::Sha256Hex(received.request.body);
  }
  // For the log only: error bodies of steps 2-10 carry no message id.
  const std::vector<std::string> ids =
      HeaderValues(received.request.headers, "gw-message-id");
  if (ids.size() == 1) report.message_id = ids[0];
  ++requests_seen_;
  if (requests_seen_ <= options_.fail_first) {
    const Refusal unavailable = MakeRefusal(
        503, "UNAVAILABLE", "the service is unavailable (--fail-first)");
    report.code = unavailable.code;
    report.detail = unavailable.detail;
    return Finish(received, std::move(report), 503,
                  format_.MakeError(unavailable, options_.own_agency,
                                    options_.peer_agency,
                                    FormatTimestamp(options_.now())),
                  {{"Retry-After", "1"}});
  }
  return HandleLocked(received, std::move(report));
}

Reply Receiver::HandleLocked(const ReceivedRequest& received,
                             RequestReport report) {
  const HttpRequest& request = received.request;
  // Steps 2-4.
  Endpoint endpoint;
  if (std::optional<Refusal> refusal = CheckRouteSizeAndType(
          received, format_.partner_endpoints(), format_.accepted_media_types(),
          options_.max_body, &endpoint)) {
    return Refuse(received, std::move(report), *refusal);
  }
  // Steps 5-10. The keys are registered to the peer agency only
  // (README §2.6); the handshake already required that agency.
  VerifyOptions verify;
  if (received.peer_agency == options_.peer_agency) {
    verify.keys = options_.peer_keys;
  }
  verify.now = options_.now();
  std::variant<VerifiedMessage, Refusal> verified = VerifyRequestSignature(
      request, absl::StrCat(options_.base_uri, endpoint.path), verify);
  if (auto* refusal = std::get_if<Refusal>(&verified)) {
    return Refuse(received, std::move(report), *refusal);
  }
  const VerifiedMessage& signature = std::get<VerifiedMessage>(verified);
  report.key_id = signature.key_id;
  report.kind = endpoint.kind;
  // Step 11.
  std::variant<Accepted, Refusal> checked =
      format_.CheckBody(endpoint, request.body, signature.message_id,
                        received.peer_agency, options_.own_agency);
  if (auto* refusal = std::get_if<Refusal>(&checked)) {
    Refusal with_id = *refusal;
    if (with_id.message_id.empty() &&
        util::IsLowercaseUuid(signature.message_id)) {
      with_id.message_id = signature.message_id;
    }
    report.message_id = with_id.message_id;
    return Refuse(received, std::move(report), with_id);
  }
  Accepted& accepted = std::get<Accepted>(checked);
  report.message_id = accepted.message_id;
  report.kind = accepted.kind;
  report.case_ref = accepted.case_ref;
  // Step 12: duplicates, then business checks.
  if (const SeenMessage* seen =
          store_->Find(received.peer_agency, accepted.message_id)) {
    if (seen->body_sha256 == report.body_sha256) {
      report.duplicate = true;
      report.received_at = seen->received_at;
      report.partner_ref = seen->partner_ref;
      return Acknowledge(received, std::move(report), 200, seen->ack_body);
    }
    Refusal conflict =
        MakeRefusal(409, "DUPLICATE_ID_CONFLICT",
                    "the message id was already received with another body");
    conflict.message_id = accepted.message_id;
    return Refuse(received, std::move(report), conflict);
  }
  if (accepted.business_refusal.has_value()) {
    Refusal business = *accepted.business_refusal;
    if (business.message_id.empty()) business.message_id = accepted.message_id;
    return Refuse(received, std::move(report), business);
  }
  if (!options_.refuse_case_prefix.empty() &&
      absl::StartsWith(accepted.case_ref, options_.refuse_case_prefix)) {
    Refusal unknown = MakeRefusal(422, "UNKNOWN_REFERENCE",
                                  "the case reference is not known");
    unknown.location = accepted.case_ref_location;
    unknown.message_id = accepted.message_id;
    return Refuse(received, std::move(report), unknown);
  }
  // First receipt: store, then acknowledge.
  const absl::Time now = options_.now();
  SeenMessage seen;
  seen.sender = received.peer_agency;
  seen.message_id = accepted.message_id;
  seen.body_sha256 = report.body_sha256;
  seen.received_at = FormatTimestamp(now);
  seen.partner_ref =
      absl::StrFormat("%s-%s-%04d", options_.partner_ref_prefix,
                      absl::FormatTime("%Y", now, absl::UTCTimeZone()),
                      store_->accepted_count() + 1);
  seen.kind = accepted.kind;
  AckFields ack;
  ack.message_id = accepted.message_id;
  ack.sender = options_.own_agency;
  ack.recipient = received.peer_agency;
  ack.payload_sha256 = report.body_sha256;
  ack.received_at = seen.received_at;
  ack.partner_ref = seen.partner_ref;
  seen.ack_body = format_.MakeAck(ack);
  absl::StatusOr<std::string> stored =
      store_->Keep(seen, request.body, format_.file_extension());
  if (!stored.ok()) {
    std::fprintf(stderr, "mock partner: cannot store a message: %s\n",
                 std::string(stored.status().message()).c_str());
    Refusal internal =
        MakeRefusal(500, "INTERNAL_ERROR", "the message could not be stored");
    internal.message_id = accepted.message_id;
    return Refuse(received, std::move(report), internal);
  }
  report.stored_file = *stored;
  report.received_at = seen.received_at;
  report.partner_ref = seen.partner_ref;
  report.summary = std::move(accepted.summary);
  return Acknowledge(received, std::move(report), 202, seen.ack_body);
}

Reply Receiver::Refuse(const ReceivedRequest& received, RequestReport report,
                       const Refusal& refusal) {
  report.code = refusal.code;
  report.location = refusal.location;
  report.detail = refusal.detail;
  if (!refusal.message_id.empty()) report.message_id = refusal.message_id;
  std::string body =
      format_.MakeError(refusal, options_.own_agency, options_.peer_agency,
                        FormatTimestamp(options_.now()));
  HeaderList extra;
  if (refusal.http_status == 405) extra.emplace_back("Allow", "POST");
  return Finish(received, std::move(report), refusal.http_status,
                std::move(body), std::move(extra));
}

Reply Receiver::Acknowledge(const ReceivedRequest& received,
                            RequestReport report, int status,
                            const std::string& ack_body) {
  return Finish(received, std::move(report), status, ack_body, {});
}

Reply Receiver::Finish(const ReceivedRequest& received, RequestReport report,
                       int status, std::string body, HeaderList extra_headers) {
  const absl::Time now = options_.now();
  report.time = FormatTimestamp(now);
  report.status = status;
  std::optional<std::string> echo;
  const std::vector<std::string> ids =
      HeaderValues(received.request.headers, "gw-message-id");
  if (ids.size() == 1) echo = ids[0];

  Reply reply;
  reply.response.status = status;
  reply.response.reason = ReasonPhrase(status);
  absl::StatusOr<HeaderList> headers =
      SignedResponseHeaders(*options_.signer, status, format_.media_type(),
                            body, echo, absl::ToUnixSeconds(now));
  if (headers.ok()) {
    reply.response.headers = *std::move(headers);
  } else {
    // Only a broken signer gets here: the response goes out unsigned, which
    // the gateway must treat as a transport failure (KH-CNP.md §7).
    std::fprintf(stderr, "mock partner: cannot sign a response: %s\n",
                 std::string(headers.status().message()).c_str());
    reply.response.headers = {{"Content-Type", format_.media_type()}};
  }
  for (auto& header : extra_headers) {
    reply.response.headers.push_back(std::move(header));
  }
  reply.response.body = std::move(body);
  reply.close_connection = received.body_too_large;
  absl::Status logged = store_->Log(Dump(report.ToJson(true)));
  if (!logged.ok()) {
    std::fprintf(stderr, "mock partner: cannot append to received.jsonl: %s\n",
                 std::string(logged.message()).c_str());
  }
  reply.report = std::move(report);
  return reply;
}

}  // namespace gw::http_mock
