// Checks the libsrtp 3 glue (../libsrtp3-on-libsrtp2/srtp.h) against the real
// libsrtp 2 it translates to, the way mediasoup-worker's SrtpSession calls it.
// Built twice by sfu-worker/test/worker-compat/libsrtp3-glue.test.ts: with
// GROUPCALL_SRTP3_OPAQUE_POLICY (mediasoup >= 3.22) and without (3.16-3.21).
// Prints one line per failed check and "checks: N failed: M"; exits 1 on failure.
#include <srtp.h>

#include <arpa/inet.h>

#include <cstdio>
#include <cstring>
#include <vector>

static int checks = 0;
static int failures = 0;
#define CHECK(cond, ...)                                                                                         \
  do {                                                                                                           \
    ++checks;                                                                                                    \
    if (!(cond)) {                                                                                               \
      ++failures;                                                                                                \
      std::printf("FAIL %s:%d %s: ", __FILE__, __LINE__, #cond);                                                 \
      std::printf(__VA_ARGS__);                                                                                  \
      std::printf("\n");                                                                                         \
    }                                                                                                            \
  } while (0)

struct Profile {
  const char* name;
  srtp_profile_t profile;
  size_t rtp_tag;
  size_t rtcp_tag; // SRTCP tag; 32-bit SRTP tags still use 80-bit SRTCP tags
};

static const Profile kProfiles[] = {
    {"AES_CM_128_HMAC_SHA1_80", srtp_profile_aes128_cm_sha1_80, 10, 10},
    {"AES_CM_128_HMAC_SHA1_32", srtp_profile_aes128_cm_sha1_32, 4, 10},
    {"AEAD_AES_128_GCM", srtp_profile_aead_aes_128_gcm, 16, 16},
    {"AEAD_AES_256_GCM", srtp_profile_aead_aes_256_gcm, 16, 16},
};

static std::vector<uint8_t> masterKey(const Profile& p) {
  const size_t len = srtp_profile_get_master_key_length(p.profile) + srtp_profile_get_master_salt_length(p.profile);
  std::vector<uint8_t> key(len);
  for (size_t i = 0; i < len; ++i) key[i] = static_cast<uint8_t>(i * 7 + 3);
  return key;
}

// A session made as mediasoup's SrtpSession makes it, through the glue.
static srtp_t gluedSession(const Profile& p, const std::vector<uint8_t>& key, srtp_ssrc_type_t type,
                           bool allowRepeatTx = true, size_t windowSize = 1024) {
  srtp_t session = nullptr;
#ifdef GROUPCALL_SRTP3_OPAQUE_POLICY
  srtp_policy_t policy{nullptr};
  CHECK(srtp_policy_create(&policy) == srtp_err_status_ok, "create");
  srtp_ssrc_t ssrc{};
  ssrc.type = type;
  CHECK(srtp_policy_set_ssrc(policy, ssrc) == srtp_err_status_ok, "ssrc");
  CHECK(srtp_policy_set_profile(policy, p.profile) == srtp_err_status_ok, "profile");
  const size_t keyLen = srtp_profile_get_master_key_length(p.profile);
  const size_t saltLen = srtp_profile_get_master_salt_length(p.profile);
  CHECK(srtp_policy_add_key(policy, key.data(), keyLen, key.data() + keyLen, saltLen, nullptr, 0) ==
            srtp_err_status_ok,
        "%s add_key", p.name);
  CHECK(srtp_policy_set_allow_repeat_tx(policy, allowRepeatTx) == srtp_err_status_ok, "repeat");
  CHECK(srtp_policy_set_window_size(policy, windowSize) == srtp_err_status_ok, "window");
  CHECK(srtp_create(&session, policy) == srtp_err_status_ok, "%s srtp_create", p.name);
  srtp_policy_destroy(policy);
#else
  srtp_policy_t policy;
  std::memset(&policy, 0, sizeof(policy));
  CHECK(srtp_crypto_policy_set_from_profile_for_rtp(&policy.rtp, p.profile) == srtp_err_status_ok, "rtp");
  CHECK(srtp_crypto_policy_set_from_profile_for_rtcp(&policy.rtcp, p.profile) == srtp_err_status_ok, "rtcp");
  policy.ssrc.type = type;
  policy.key = const_cast<unsigned char*>(key.data());
  policy.allow_repeat_tx = allowRepeatTx;
  policy.window_size = windowSize;
  CHECK(srtp_create(&session, &policy) == srtp_err_status_ok, "%s srtp_create", p.name);
#endif
  return session;
}

// A receiver made with the plain libsrtp 2 API, to show the glue produces
// standard SRTP and not just something it can read back itself.
static srtp_t nativeSession(const Profile& p, const std::vector<uint8_t>& key) {
#ifdef GROUPCALL_SRTP3_OPAQUE_POLICY
  groupcall_srtp2_policy_t policy;
#else
  srtp_policy_t policy;
#endif
  std::memset(&policy, 0, sizeof(policy));
  srtp_crypto_policy_set_from_profile_for_rtp(&policy.rtp, p.profile);
  srtp_crypto_policy_set_from_profile_for_rtcp(&policy.rtcp, p.profile);
  policy.ssrc.type = ssrc_any_inbound;
  policy.key = const_cast<unsigned char*>(key.data());
  policy.window_size = 128;
  srtp_t session = nullptr;
  CHECK(srtp_create(&session, &policy) == srtp_err_status_ok, "native create");
  return session;
}

static std::vector<uint8_t> rtpPacket(uint16_t seq, uint32_t ssrc, size_t payload) {
  std::vector<uint8_t> pkt(12 + payload);
  pkt[0] = 0x80;
  pkt[1] = 96;
  pkt[2] = static_cast<uint8_t>(seq >> 8);
  pkt[3] = static_cast<uint8_t>(seq);
  const uint32_t ts = htonl(seq * 3000u);
  std::memcpy(&pkt[4], &ts, 4);
  const uint32_t s = htonl(ssrc);
  std::memcpy(&pkt[8], &s, 4);
  for (size_t i = 12; i < pkt.size(); ++i) pkt[i] = static_cast<uint8_t>(i);
  return pkt;
}

static std::vector<uint8_t> rtcpReceiverReport(uint32_t ssrc) {
  std::vector<uint8_t> pkt(8, 0);
  pkt[0] = 0x80;
  pkt[1] = 201; // RR, no report blocks
  pkt[3] = 1;   // length in 32-bit words minus one
  const uint32_t s = htonl(ssrc);
  std::memcpy(&pkt[4], &s, 4);
  return pkt;
}

static void profileRoundTrips(const Profile& p) {
  const auto key = masterKey(p);
  srtp_t sender = gluedSession(p, key, ssrc_any_outbound);
  srtp_t receiver = gluedSession(p, key, ssrc_any_inbound);
  srtp_t native = nativeSession(p, key);

  for (uint16_t seq = 1000; seq < 1010; ++seq) {
    const auto rtp = rtpPacket(seq, 0x1234, 1100);
    std::vector<uint8_t> out(2000, 0xee);
    size_t outLen = out.size();
    CHECK(srtp_protect(sender, rtp.data(), rtp.size(), out.data(), &outLen, 0) == srtp_err_status_ok, "%s protect",
          p.name);
    CHECK(outLen == rtp.size() + p.rtp_tag, "%s srtp length %zu, want %zu", p.name, outLen, rtp.size() + p.rtp_tag);
    CHECK(std::memcmp(out.data(), rtp.data(), 12) == 0, "%s header kept", p.name);
    CHECK(std::memcmp(out.data() + 12, rtp.data() + 12, rtp.size() - 12) != 0, "%s payload encrypted", p.name);

    // Native 2.x receiver, in place with int lengths.
    std::vector<uint8_t> copy(out.begin(), out.begin() + static_cast<long>(outLen));
    int len = static_cast<int>(copy.size());
    CHECK(srtp_unprotect(native, copy.data(), &len) == srtp_err_status_ok, "%s native unprotect", p.name);
    CHECK(static_cast<size_t>(len) == rtp.size() && std::memcmp(copy.data(), rtp.data(), rtp.size()) == 0,
          "%s native plaintext", p.name);

    // Glue receiver, in place as mediasoup decrypts.
    size_t plainLen = outLen;
    CHECK(srtp_unprotect(receiver, out.data(), outLen, out.data(), &plainLen) == srtp_err_status_ok,
          "%s unprotect", p.name);
    CHECK(plainLen == rtp.size() && std::memcmp(out.data(), rtp.data(), rtp.size()) == 0, "%s plaintext", p.name);
  }

  const auto rtcp = rtcpReceiverReport(0x1234);
  std::vector<uint8_t> out(256);
  size_t outLen = out.size();
  CHECK(srtp_protect_rtcp(sender, rtcp.data(), rtcp.size(), out.data(), &outLen, 0) == srtp_err_status_ok,
        "%s protect_rtcp", p.name);
  CHECK(outLen == rtcp.size() + 4 + p.rtcp_tag, "%s srtcp length %zu", p.name, outLen);
  std::vector<uint8_t> tampered(out.begin(), out.begin() + static_cast<long>(outLen));
  tampered[5] ^= 1;
  size_t tamperedLen = tampered.size();
  CHECK(srtp_unprotect_rtcp(receiver, tampered.data(), tampered.size(), tampered.data(), &tamperedLen) ==
            srtp_err_status_auth_fail,
        "%s tampered srtcp rejected", p.name);
  size_t plainLen = outLen;
  CHECK(srtp_unprotect_rtcp(receiver, out.data(), outLen, out.data(), &plainLen) == srtp_err_status_ok,
        "%s unprotect_rtcp", p.name);
  CHECK(plainLen == rtcp.size() && std::memcmp(out.data(), rtcp.data(), rtcp.size()) == 0, "%s rtcp plaintext",
        p.name);

  srtp_dealloc(sender);
  srtp_dealloc(receiver);
  srtp_dealloc(native);
}

static void buffers() {
  const Profile& p = kProfiles[0];
  const auto key = masterKey(p);
  srtp_t sender = gluedSession(p, key, ssrc_any_outbound);

  // Too small an output buffer: refused, nothing written, length untouched.
  const auto rtp = rtpPacket(1, 0x99, 200);
  std::vector<uint8_t> out(rtp.size() + 4, 0xee);
  size_t outLen = out.size();
  CHECK(srtp_protect(sender, rtp.data(), rtp.size(), out.data(), &outLen, 0) == srtp_err_status_buffer_small,
        "small buffer");
  CHECK(outLen == out.size() && out[0] == 0xee, "small buffer untouched");

  // mediasoup 3.19 protects into 1500-byte io_uring buffers: a full-size packet fits.
  const auto big = rtpPacket(2, 0x99, 1500 - 12 - 16);
  std::vector<uint8_t> ring(1500);
  outLen = ring.size();
  CHECK(srtp_protect(sender, big.data(), big.size(), ring.data(), &outLen, 0) == srtp_err_status_ok,
        "1484-byte packet into a 1500-byte buffer");
  CHECK(std::memcmp(big.data(), rtpPacket(2, 0x99, 1500 - 12 - 16).data(), big.size()) == 0, "input unchanged");

  // Repeated sequence numbers (retransmission without RTX) need allow_repeat_tx.
  srtp_t strict = gluedSession(p, key, ssrc_any_outbound, false);
  for (int i = 0; i < 2; ++i) {
    outLen = out.size() + 100;
    std::vector<uint8_t> o(outLen);
    const auto again = rtpPacket(7, 0x77, 50);
    size_t l1 = o.size();
    const srtp_err_status_t allowed = srtp_protect(sender, again.data(), again.size(), o.data(), &l1, 0);
    size_t l2 = o.size();
    const srtp_err_status_t refused = srtp_protect(strict, again.data(), again.size(), o.data(), &l2, 0);
    CHECK(allowed == srtp_err_status_ok, "repeat allowed (%d)", allowed);
    if (i == 1) CHECK(refused == srtp_err_status_replay_fail, "repeat refused without allow_repeat_tx (%d)", refused);
  }

  // The window size reaches libsrtp: 600 packets late is inside 1024, outside 128.
  srtp_t wide = gluedSession(p, key, ssrc_any_inbound, true, 1024);
  srtp_t narrow = gluedSession(p, key, ssrc_any_inbound, true, 128);
  std::vector<uint8_t> late;
  for (uint16_t seq = 1; seq <= 700; ++seq) {
    const auto pkt = rtpPacket(seq, 0x55, 20);
    std::vector<uint8_t> o(200);
    size_t l = o.size();
    srtp_protect(sender, pkt.data(), pkt.size(), o.data(), &l, 0);
    o.resize(l);
    if (seq == 100) {
      late = o;
      continue;
    }
    for (srtp_t r : {wide, narrow}) {
      size_t pl = o.size();
      std::vector<uint8_t> c = o;
      srtp_unprotect(r, c.data(), c.size(), c.data(), &pl);
    }
  }
  size_t pl = late.size();
  std::vector<uint8_t> c = late;
  CHECK(srtp_unprotect(wide, c.data(), c.size(), c.data(), &pl) == srtp_err_status_ok, "late packet in 1024 window");
  c = late;
  pl = c.size();
  CHECK(srtp_unprotect(narrow, c.data(), c.size(), c.data(), &pl) == srtp_err_status_replay_old,
        "late packet outside 128 window");

  // srtp_stream_remove: a known stream goes, an unknown one is an error.
  CHECK(srtp_stream_remove(wide, htonl(0x55)) == srtp_err_status_ok, "remove known stream");
  CHECK(srtp_stream_remove(wide, htonl(0x56)) != srtp_err_status_ok, "remove unknown stream");

  srtp_dealloc(sender);
  srtp_dealloc(strict);
  srtp_dealloc(wide);
  srtp_dealloc(narrow);
}

static void errorCodes() {
  CHECK(srtp_err_status_buffer_small != srtp_err_status_cryptex_err, "distinct new codes");
  for (int code = srtp_err_status_ok; code <= srtp_err_status_pkt_idx_adv; ++code) {
    CHECK(code != srtp_err_status_buffer_small && code != srtp_err_status_cryptex_err, "code %d reused", code);
  }
}

#ifdef GROUPCALL_SRTP3_OPAQUE_POLICY
static void policyMisuse() {
  const Profile& p = kProfiles[0];
  const auto key = masterKey(p);
  srtp_policy_t policy{nullptr};
  srtp_policy_create(&policy);
  CHECK(srtp_policy_add_key(policy, key.data(), 16, key.data() + 16, 14, nullptr, 0) == srtp_err_status_bad_param,
        "key before profile");
  srtp_policy_set_profile(policy, p.profile);
  CHECK(srtp_policy_add_key(policy, key.data(), 16, key.data() + 16, 12, nullptr, 0) == srtp_err_status_bad_param,
        "wrong salt length");
  const uint8_t mki[4] = {1, 2, 3, 4};
  CHECK(srtp_policy_add_key(policy, key.data(), 16, key.data() + 16, 14, mki, 4) == srtp_err_status_bad_mki,
        "mki refused");
  srtp_t session = nullptr;
  CHECK(srtp_create(&session, policy) == srtp_err_status_bad_param, "create without key");
  CHECK(srtp_policy_add_key(policy, key.data(), 16, key.data() + 16, 14, nullptr, 0) == srtp_err_status_ok, "key");
  CHECK(srtp_policy_add_key(policy, key.data(), 16, key.data() + 16, 14, nullptr, 0) == srtp_err_status_bad_param,
        "second key");
  CHECK(srtp_policy_create(nullptr) == srtp_err_status_bad_param, "null out");
  srtp_policy_destroy(policy);
  srtp_policy_destroy(nullptr);
}
#endif

int main() {
  if (srtp_init() != srtp_err_status_ok) {
    std::printf("FAIL srtp_init\n");
    return 1;
  }
  std::printf("libsrtp %s\n", srtp_get_version_string());
  for (const Profile& p : kProfiles) profileRoundTrips(p);
  buffers();
  errorCodes();
#ifdef GROUPCALL_SRTP3_OPAQUE_POLICY
  policyMisuse();
#endif
  srtp_shutdown();
  std::printf("checks: %d failed: %d\n", checks, failures);
  return failures == 0 ? 0 : 1;
}
