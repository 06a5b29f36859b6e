// The libsrtp 3 API that mediasoup-worker >= 3.13.17 calls (versatica's libsrtp
// fork), on top of libsrtp 2.x, which is what Debian packages.
//
// Why: no Debian suite has libsrtp 3, and the worker build must stay offline.
// This header sits before the real <srtp.h> on the include path (see
// sfu-worker/scripts/build-worker-offline.sh) and adds C++ overloads with the
// libsrtp 3 shapes, each translated to the 2.x call:
//  - size_t lengths and separate input/output buffers for (un)protect (3.16+);
//  - an opaque, heap-allocated policy object built by setters (3.22+), enabled
//    with GROUPCALL_SRTP3_OPAQUE_POLICY because it changes what srtp_policy_t is;
//  - srtp_stream_remove() and the error codes libsrtp 3 added.
// Only what the worker uses is here; test/ exercises every function against the
// real library (sfu-worker/test/worker-compat).
#ifndef GROUPCALL_LIBSRTP3_ON_LIBSRTP2_H
#define GROUPCALL_LIBSRTP3_ON_LIBSRTP2_H

#if !defined(__cplusplus)
#error "the libsrtp 3 glue is C++ overloads: include it from C++ only"
#endif

#ifdef GROUPCALL_SRTP3_OPAQUE_POLICY
// In libsrtp 3, srtp_policy_t is a pointer to an opaque object; in 2.x it is the
// struct itself. The 2.x struct is renamed while its header is read.
#define srtp_policy_t groupcall_srtp2_policy_t
#include_next <srtp.h>
#undef srtp_policy_t
#else
#include_next <srtp.h>
#endif

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <new>

// Error codes libsrtp 3 added after srtp_err_status_pkt_idx_adv (27). libsrtp 2
// never returns them; they only have to be distinct values.
inline constexpr srtp_err_status_t srtp_err_status_buffer_small = static_cast<srtp_err_status_t>(28);
inline constexpr srtp_err_status_t srtp_err_status_cryptex_err = static_cast<srtp_err_status_t>(29);

namespace groupcall_srtp3 {
// libsrtp 2 takes int lengths and works in place in a buffer with room for the
// trailer; libsrtp 3 reads `in` and writes at most *out_len bytes to `out`.
// The room asked for is the longest tag (16, AES-GCM) plus, for SRTCP, the
// 4-byte index: mediasoup 3.19 protects into 1500-byte io_uring buffers, so
// asking for SRTP_MAX_TRAILER_LEN (which includes a 128-byte MKI) would refuse
// packets libsrtp 3 accepts.
inline constexpr size_t kSrtpTrailerRoom = SRTP_MAX_TAG_LEN;
inline constexpr size_t kSrtcpTrailerRoom = SRTP_MAX_TAG_LEN + 4;
template <typename Protect>
inline srtp_err_status_t protect(const uint8_t* in, size_t in_len, uint8_t* out, size_t* out_len,
                                 size_t trailer_room, Protect&& protect2) {
  if (in_len > static_cast<size_t>(INT32_MAX) - SRTP_MAX_TRAILER_LEN) return srtp_err_status_bad_param;
  if (*out_len < in_len + trailer_room) return srtp_err_status_buffer_small;
  if (out != in) std::memmove(out, in, in_len);
  int len = static_cast<int>(in_len);
  const srtp_err_status_t err = protect2(out, &len);
  if (err == srtp_err_status_ok) *out_len = static_cast<size_t>(len);
  return err;
}

template <typename Unprotect>
inline srtp_err_status_t unprotect(const uint8_t* in, size_t in_len, uint8_t* out, size_t* out_len,
                                   Unprotect&& unprotect2) {
  if (in_len > static_cast<size_t>(INT32_MAX)) return srtp_err_status_bad_param;
  if (*out_len < in_len) return srtp_err_status_buffer_small;
  if (out != in) std::memmove(out, in, in_len);
  int len = static_cast<int>(in_len);
  const srtp_err_status_t err = unprotect2(out, &len);
  if (err == srtp_err_status_ok) *out_len = static_cast<size_t>(len);
  return err;
}
} // namespace groupcall_srtp3

inline srtp_err_status_t srtp_protect(srtp_t ctx, const uint8_t* rtp, size_t rtp_len, uint8_t* srtp,
                                      size_t* srtp_len, size_t mki_index) {
  const size_t room = groupcall_srtp3::kSrtpTrailerRoom + (mki_index == 0 ? 0 : SRTP_MAX_MKI_LEN);
  return groupcall_srtp3::protect(rtp, rtp_len, srtp, srtp_len, room, [&](uint8_t* buf, int* len) {
    return mki_index == 0 ? srtp_protect(ctx, buf, len)
                          : srtp_protect_mki(ctx, buf, len, 1, static_cast<unsigned int>(mki_index));
  });
}

inline srtp_err_status_t srtp_unprotect(srtp_t ctx, const uint8_t* srtp, size_t srtp_len, uint8_t* rtp,
                                        size_t* rtp_len) {
  return groupcall_srtp3::unprotect(srtp, srtp_len, rtp, rtp_len,
                                    [&](uint8_t* buf, int* len) { return srtp_unprotect(ctx, buf, len); });
}

inline srtp_err_status_t srtp_protect_rtcp(srtp_t ctx, const uint8_t* rtcp, size_t rtcp_len, uint8_t* srtcp,
                                           size_t* srtcp_len, size_t mki_index) {
  const size_t room = groupcall_srtp3::kSrtcpTrailerRoom + (mki_index == 0 ? 0 : SRTP_MAX_MKI_LEN);
  return groupcall_srtp3::protect(
      rtcp, rtcp_len, srtcp, srtcp_len, room, [&](uint8_t* buf, int* len) {
        return mki_index == 0 ? srtp_protect_rtcp(ctx, buf, len)
                              : srtp_protect_rtcp_mki(ctx, buf, len, 1, static_cast<unsigned int>(mki_index));
      });
}

inline srtp_err_status_t srtp_unprotect_rtcp(srtp_t ctx, const uint8_t* srtcp, size_t srtcp_len, uint8_t* rtcp,
                                             size_t* rtcp_len) {
  return groupcall_srtp3::unprotect(srtcp, srtcp_len, rtcp, rtcp_len,
                                    [&](uint8_t* buf, int* len) { return srtp_unprotect_rtcp(ctx, buf, len); });
}

// libsrtp 3's name for srtp_remove_stream (ssrc in network byte order in both).
inline srtp_err_status_t srtp_stream_remove(srtp_t session, uint32_t ssrc) {
  return srtp_remove_stream(session, ssrc);
}

#ifdef GROUPCALL_SRTP3_OPAQUE_POLICY
// The opaque policy: a 2.x policy plus the storage its `key` pointer needs
// (2.x reads master key and salt from one buffer, key first).
struct groupcall_srtp3_policy {
  groupcall_srtp2_policy_t policy;
  unsigned char key_and_salt[SRTP_MAX_KEY_LEN];
  bool has_profile;
};
typedef groupcall_srtp3_policy* srtp_policy_t;

inline srtp_err_status_t srtp_policy_create(srtp_policy_t* policy) {
  if (policy == nullptr) return srtp_err_status_bad_param;
  *policy = new (std::nothrow) groupcall_srtp3_policy{};
  return *policy == nullptr ? srtp_err_status_alloc_fail : srtp_err_status_ok;
}

inline void srtp_policy_destroy(srtp_policy_t policy) { delete policy; }

inline srtp_err_status_t srtp_policy_set_ssrc(srtp_policy_t policy, srtp_ssrc_t ssrc) {
  if (policy == nullptr) return srtp_err_status_bad_param;
  policy->policy.ssrc = ssrc;
  return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_set_profile(srtp_policy_t policy, srtp_profile_t profile) {
  if (policy == nullptr) return srtp_err_status_bad_param;
  srtp_err_status_t err = srtp_crypto_policy_set_from_profile_for_rtp(&policy->policy.rtp, profile);
  if (err == srtp_err_status_ok) err = srtp_crypto_policy_set_from_profile_for_rtcp(&policy->policy.rtcp, profile);
  policy->has_profile = err == srtp_err_status_ok;
  return err;
}

// One master key per policy (the worker adds exactly one, without MKI).
inline srtp_err_status_t srtp_policy_add_key(srtp_policy_t policy, const uint8_t* key, size_t key_len,
                                             const uint8_t* salt, size_t salt_len, const uint8_t* mki,
                                             size_t mki_len) {
  if (policy == nullptr || key == nullptr || (salt == nullptr && salt_len != 0)) return srtp_err_status_bad_param;
  if (!policy->has_profile || policy->policy.key != nullptr) return srtp_err_status_bad_param;
  if (mki != nullptr || mki_len != 0) return srtp_err_status_bad_mki;
  if (key_len + salt_len != static_cast<size_t>(policy->policy.rtp.cipher_key_len) ||
      key_len + salt_len > sizeof(policy->key_and_salt)) {
    return srtp_err_status_bad_param;
  }
  std::memcpy(policy->key_and_salt, key, key_len);
  if (salt_len != 0) std::memcpy(policy->key_and_salt + key_len, salt, salt_len);
  policy->policy.key = policy->key_and_salt;
  return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_set_window_size(srtp_policy_t policy, size_t window_size) {
  if (policy == nullptr) return srtp_err_status_bad_param;
  policy->policy.window_size = window_size;
  return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_policy_set_allow_repeat_tx(srtp_policy_t policy, bool allow) {
  if (policy == nullptr) return srtp_err_status_bad_param;
  policy->policy.allow_repeat_tx = allow ? 1 : 0;
  return srtp_err_status_ok;
}

inline srtp_err_status_t srtp_create(srtp_t* session, srtp_policy_t policy) {
  if (policy == nullptr || policy->policy.key == nullptr) return srtp_err_status_bad_param;
  return srtp_create(session, &policy->policy);
}
#endif // GROUPCALL_SRTP3_OPAQUE_POLICY

#endif // GROUPCALL_LIBSRTP3_ON_LIBSRTP2_H
