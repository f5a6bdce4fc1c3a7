/* Pagefind's search API over the site's shards, for Pagefind's search dialog (its component UI
   imports this file in place of Pagefind's own pagefind.js, which it wraps).

   The site's index comes in shards merged at search time (src/trilat_site/site/pagefind.py).
   Pagefind leaves a word of a query out when its index does not hold it at all; in one index
   that is a word the site never uses, but each shard decides alone, and a shard without one
   of the words would answer with pages holding only the others ("coast guard" finding pages
   that only say "guard"). So a search of several words first asks which shards hold each
   word, and searches only the shards that hold every word the site holds: what one index
   of the whole site would answer. */
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

  /* The shards that hold every word of `term` that any shard holds: all of them, or a filter. */
  async function holding(term) {
    var words = term.trim().split(/\s+/);
    if (words.length < 2 || shards < 2 || /^\s*".*"\s*$/.test(term)) return null;
    var found = await Promise.all(words.map(function (word) { return inner.search(word, {}); }));
    var kept = [];
    for (var number = 0; number < shards; number++) {
      var holds = found.every(function (one) {
        var counts = (one.filters && one.filters[SHARD]) || {};
        var anywhere = Object.keys(counts).some(function (key) { return counts[key] > 0; });
        return !anywhere || counts[String(number)] > 0;
      });
      if (holds) kept.push(String(number));
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
