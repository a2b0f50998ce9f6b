package logs

import (
	"maps"
	"strings"
	"sync"
)

// maxCachedStreams bounds the stream cache; past it the cache starts
// over (Lambda makes a stream per execution environment, so streams
// accumulate).
const maxCachedStreams = 100000

// recordCache keeps decoded group and stream records so that Put, on
// every Lambda invoke, reads no Pebble key. It is a write-through cache:
// every writer of a record updates it after its batch commits (or evicts
// it), under the same locks as the write (mu for groups and for creating
// or deleting streams, the stream's stripe for appends). Its own mutex
// only guards the maps. Entries are immutable: readers get copies.
type recordCache struct {
	mu      sync.Mutex
	groups  map[string]*groupRecord
	streams map[string]*streamRecord
}

func (c *recordCache) group(key string) (groupRecord, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	g, ok := c.groups[key]
	if !ok {
		return groupRecord{}, false
	}
	return *g, true
}

func (c *recordCache) setGroup(key string, g groupRecord) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.groups == nil {
		c.groups = map[string]*groupRecord{}
	}
	g.Tags = maps.Clone(g.Tags)
	c.groups[key] = &g
}

func (c *recordCache) stream(key string) (streamRecord, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.streams[key]
	if !ok {
		return streamRecord{}, false
	}
	return *st, true
}

func (c *recordCache) setStream(key string, st streamRecord) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.streams == nil || len(c.streams) >= maxCachedStreams {
		c.streams = map[string]*streamRecord{}
	}
	c.streams[key] = &st
}

// fillGroup caches a group record read from Pebble unless a writer
// cached a newer one meanwhile. Callers hold mu (read or write), so no
// eviction can run between their read and the fill.
func (c *recordCache) fillGroup(key string, g groupRecord) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.groups[key]; ok {
		return
	}
	if c.groups == nil {
		c.groups = map[string]*groupRecord{}
	}
	g.Tags = maps.Clone(g.Tags)
	c.groups[key] = &g
}

// fillStream is fillGroup for a stream record.
func (c *recordCache) fillStream(key string, st streamRecord) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.streams[key]; ok {
		return
	}
	if c.streams == nil || len(c.streams) >= maxCachedStreams {
		c.streams = map[string]*streamRecord{}
	}
	c.streams[key] = &st
}

func (c *recordCache) evictStream(key string) {
	c.mu.Lock()
	delete(c.streams, key)
	c.mu.Unlock()
}

// evict drops the group (if groupKey is not "") and every stream whose
// key starts with streamPrefix (if not "").
func (c *recordCache) evict(groupKey, streamPrefix string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if groupKey != "" {
		delete(c.groups, groupKey)
	}
	if streamPrefix != "" {
		for k := range c.streams {
			if strings.HasPrefix(k, streamPrefix) {
				delete(c.streams, k)
			}
		}
	}
}
