// Stand-in for ankerl::unordered_dense (https://github.com/martinus/unordered_dense),
// which mediasoup-worker >= 3.21 includes and no Debian suite packages.
//
// Why: the offline worker build may use only Debian and npm sources. mediasoup
// uses the library as a faster drop-in for std::unordered_map/set (maps keyed by
// SSRC, transport tuple, id); these aliases give the same interface on the
// standard containers. The price is speed of lookups, measured by
// sfu-worker/test/worker-compat (ns per lookup, beside the Worker's µs per packet
// in docs/benchmarks.md).
#ifndef GROUPCALL_UNORDERED_DENSE_ON_STD_H
#define GROUPCALL_UNORDERED_DENSE_ON_STD_H

#include <cstddef>
#include <functional>
#include <memory>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace ankerl::unordered_dense {
inline namespace groupcall_std_standin {

// unordered_dense::hash<T>: callers combine its results for composite keys.
template <typename T, typename Enable = void>
struct hash : std::hash<T> {
  using is_avalanching = void;
};

template <typename Key, typename T, typename Hash = hash<Key>, typename KeyEqual = std::equal_to<Key>,
          typename Allocator = std::allocator<std::pair<const Key, T>>>
using map = std::unordered_map<Key, T, Hash, KeyEqual, Allocator>;

template <typename Key, typename Hash = hash<Key>, typename KeyEqual = std::equal_to<Key>,
          typename Allocator = std::allocator<Key>>
using set = std::unordered_set<Key, Hash, KeyEqual, Allocator>;

} // namespace groupcall_std_standin
} // namespace ankerl::unordered_dense

#endif // GROUPCALL_UNORDERED_DENSE_ON_STD_H
