package sigv4

import "sync"

// maxCachedKeys bounds the signing key cache. A key is valid for one
// (secret, day, region, service); a busy server sees a handful of those per
// day, so the cache is simply emptied when it fills up.
const maxCachedKeys = 1024

type keyCacheKey struct {
	secret, date, region, service string
}

// keyCache memoizes deriveKey. It is safe for concurrent use.
type keyCache struct {
	mu   sync.Mutex
	keys map[keyCacheKey][]byte // guarded by mu; values are never mutated
}

// get returns the signing key for the scope, deriving it on a miss. The
// returned slice must not be modified.
func (c *keyCache) get(secret, date, region, service string) []byte {
	k := keyCacheKey{secret, date, region, service}
	c.mu.Lock()
	key, ok := c.keys[k]
	c.mu.Unlock()
	if ok {
		return key
	}
	key = deriveKey(secret, date, region, service)
	c.mu.Lock()
	if c.keys == nil || len(c.keys) >= maxCachedKeys {
		c.keys = make(map[keyCacheKey][]byte)
	}
	c.keys[k] = key
	c.mu.Unlock()
	return key
}
