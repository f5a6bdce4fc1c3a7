/* Pagefind's search API over the site's shards, for Pagefind's search dialog (its component UI
   imports this file in place of Pagefind's own pagefind.js, which it wraps).

   The site's index comes in shards merged at search time (src/trilat_site/site/pagefind.py),
   and Pagefind 1.5.2 matches a query's words in each shard alone. A word matches the words
   that begin with it; where none does, the longest word it begins with ("alliance" finding
   "allies"); a word matching nothing at all is left out. In one index of the whole site that
   happens only for words the site never uses, but a shard without a word would answer with
   other words' pages ("coast guard" finding pages that only say "guard"). So a search first
   asks, word by word, which shards hold the word itself, and searches only the shards that
   hold every word the site holds: what one index of the whole site answers, but for a page
   holding only longer forms of a word (in a shard without the word itself). */
import * as pagefind from "../pagefind.js";

export * from "../pagefind.js";

/* Each shard answers to its own value of this filter (its place in the merge). */
var SHARD = "trilat-shard";

function withoutShards(counts) {
  if (counts) delete counts[SHARD];
  return counts;
}

function sleep(ms) {
  return new Promise(function (resolve) { window.setTimeout(resolve, ms); });
}

export function createInstance(instanceOptions) {
  var inner = pagefind.createInstance(instanceOptions);
  var shards = 0;
  var latest = 0;

  /* Each shard's number of results, from a search's filter counts. */
  function perShard(found) {
    var counts = (found && found.filters && found.filters[SHARD]) || {};
    return function (number) { return counts[String(number)] || 0; };
  }

  function anywhere(count) {
    for (var number = 0; number < shards; number++) if (count(number) > 0) return true;
    return false;
  }

  /* The shards that hold every word of `term` the site holds: all of them (null), or a filter. */
  async function holding(term) {
    var words = term.trim().split(/\s+/).filter(function (word) { return /[\p{L}\p{N}]/u.test(word); });
    if (!words.length || shards < 2 || /^\s*".*"\s*$/.test(term)) return null;
    var found = await Promise.all(words.map(function (word) {
      /* The word itself (a quoted word matches only its own stem), and as Pagefind matches it. */
      var bare = word.replace(/"/g, "");
      return Promise.all([inner.search('"' + bare + '"', {}), inner.search(bare, {})]);
    }));
    var held = found.map(function (pair) {
      var exact = perShard(pair[0]), loose = perShard(pair[1]);
      /* A word the site holds as such is held by the shards that have it; a beginning of words
         (a word being typed) by the shards where it matches; a word matching nothing, left out. */
      if (anywhere(exact)) return exact;
      if (anywhere(loose)) return loose;
      return null;
    });
    var kept = [];
    for (var number = 0; number < shards; number++) {
      if (held.every(function (count) { return count === null || count(number) > 0; })) kept.push(String(number));
    }
    if (kept.length === shards) return null;
    /* No shard at all: a value no shard has, so that nothing is found. */
    return kept.length ? { any: kept } : "none";
  }

  async function search(term, options) {
    options = Object.assign({}, options);
    var only = term ? await holding(term) : null;
    if (only) {
      options.filters = Object.assign({}, options.filters);
      options.filters[SHARD] = only;
    }
    var found = await inner.search(term, options);
    if (found) {
      withoutShards(found.filters);
      withoutShards(found.totalFilters);
    }
    return found;
  }

  return {
    options: inner.options,
    init: inner.init,
    destroy: inner.destroy,
    preload: inner.preload,
    mergeIndex: function (path, options) {
      var filter = {};
      filter[SHARD] = String(shards++);
      return inner.mergeIndex(path, Object.assign({}, options, { mergeFilter: filter }));
    },
    search: search,
    debouncedSearch: async function (term, options, wait) {
      var mine = ++latest;
      await sleep(wait === undefined ? 300 : wait);
      if (mine !== latest) return null;
      var found = await search(term, options);
      return mine === latest ? found : null;
    },
    filters: function () { return inner.filters().then(withoutShards); }
  };
}
