// Checks the ankerl::unordered_dense stand-in (../unordered-dense-on-std) in the
// shapes mediasoup-worker 3.21+ uses it, and measures what it costs: lookups in
// maps of the sizes a Worker holds (producers/consumers by SSRC or id, transport
// tuples), in ns. Run by sfu-worker/test/worker-compat/unordered-dense-standin.test.ts.
// Prints "FAIL ..." per failed check, then a JSON line with the timings.
#include <ankerl/unordered_dense.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

static int checks = 0;
static int failures = 0;
#define CHECK(cond)                                                     \
  do {                                                                  \
    ++checks;                                                           \
    if (!(cond)) {                                                      \
      ++failures;                                                       \
      std::printf("FAIL %s:%d %s\n", __FILE__, __LINE__, #cond);        \
    }                                                                   \
  } while (0)

// A composite key with a hash combined from per-field unordered_dense hashes,
// as mediasoup's TransportTuple::TupleKeyHash and PortRangeKeyHash do.
struct TupleKey {
  uint32_t address;
  uint16_t port;
  uint8_t protocol;
  bool operator==(const TupleKey& other) const {
    return address == other.address && port == other.port && protocol == other.protocol;
  }
};
struct TupleKeyHash {
  size_t operator()(const TupleKey& key) const {
    size_t seed = ankerl::unordered_dense::hash<uint32_t>{}(key.address);
    seed ^= ankerl::unordered_dense::hash<uint16_t>{}(key.port) + 0x9e3779b9 + (seed << 6) + (seed >> 2);
    seed ^= ankerl::unordered_dense::hash<uint8_t>{}(key.protocol) + 0x9e3779b9 + (seed << 6) + (seed >> 2);
    return seed;
  }
};

struct Consumer {
  uint32_t ssrc;
};

template <typename Map, typename Key>
static double nsPerLookup(const Map& map, const std::vector<Key>& keys, size_t rounds) {
  size_t found = 0;
  const auto start = std::chrono::steady_clock::now();
  for (size_t r = 0; r < rounds; ++r) {
    for (const Key& key : keys) found += map.find(key) != map.end();
  }
  const auto ns = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count();
  if (found != rounds * keys.size()) std::printf("FAIL lookups found %zu\n", found);
  return ns / static_cast<double>(rounds * keys.size());
}

int main() {
  // map keyed by SSRC, with the interface the worker uses.
  ankerl::unordered_dense::map<uint32_t, Consumer*> bySsrc;
  std::vector<Consumer> consumers(1000);
  std::vector<uint32_t> ssrcs;
  for (uint32_t i = 0; i < consumers.size(); ++i) {
    consumers[i].ssrc = 0x10000000u + i * 7919u;
    ssrcs.push_back(consumers[i].ssrc);
    bySsrc[consumers[i].ssrc] = &consumers[i];
  }
  CHECK(bySsrc.size() == 1000);
  CHECK(bySsrc.find(ssrcs[10])->second == &consumers[10]);
  CHECK(bySsrc.at(ssrcs[999]) == &consumers[999]);
  CHECK(bySsrc.find(1) == bySsrc.end());
  CHECK(bySsrc.erase(ssrcs[5]) == 1);
  CHECK(bySsrc.count(ssrcs[5]) == 0);
  CHECK(bySsrc.try_emplace(ssrcs[5], &consumers[5]).second);
  CHECK(!bySsrc.emplace(ssrcs[5], &consumers[6]).second);
  size_t iterated = 0;
  for (const auto& [ssrc, consumer] : bySsrc) iterated += consumer->ssrc == ssrc;
  CHECK(iterated == 1000);

  // set of pointers, map by string id, map with a custom composite hash.
  ankerl::unordered_dense::set<Consumer*> set;
  CHECK(set.insert(&consumers[0]).second && !set.insert(&consumers[0]).second && set.count(&consumers[0]) == 1);
  ankerl::unordered_dense::map<std::string, Consumer*> byId;
  byId["c-1"] = &consumers[1];
  CHECK(byId.find("c-1") != byId.end() && byId.find("c-2") == byId.end());
  ankerl::unordered_dense::map<TupleKey, int, TupleKeyHash> tuples;
  std::vector<TupleKey> tupleKeys;
  for (uint32_t i = 0; i < 200; ++i) {
    TupleKey key{0x0a000000u + i, static_cast<uint16_t>(40000 + i), 17};
    tupleKeys.push_back(key);
    tuples[key] = static_cast<int>(i);
  }
  CHECK(tuples.size() == 200 && tuples.at(TupleKey{0x0a000005u, 40005, 17}) == 5);
  CHECK(tuples.find(TupleKey{0x0a000005u, 40005, 6}) == tuples.end());
  CHECK(ankerl::unordered_dense::hash<uint16_t>{}(7) == ankerl::unordered_dense::hash<uint16_t>{}(7));

  // Timings: a small map (SSRCs of one transport), a Worker-sized one, tuples.
  ankerl::unordered_dense::map<uint32_t, Consumer*> small;
  std::vector<uint32_t> smallKeys(ssrcs.begin(), ssrcs.begin() + 8);
  for (uint32_t s : smallKeys) small[s] = bySsrc[s];
  const double nsSmall = nsPerLookup(small, smallKeys, 200000);
  const double nsLarge = nsPerLookup(bySsrc, ssrcs, 2000);
  const double nsTuple = nsPerLookup(tuples, tupleKeys, 10000);

  std::printf("checks: %d failed: %d\n", checks, failures);
  std::printf("{\"nsPerLookup\":{\"ssrc8\":%.2f,\"ssrc1000\":%.2f,\"tuple200\":%.2f}}\n", nsSmall, nsLarge, nsTuple);
  return failures == 0 ? 0 : 1;
}
