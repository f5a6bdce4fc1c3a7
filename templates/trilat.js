/* The one script trilat-site adds to every page. Everything it does is an enhancement:
   each page is complete without it. */
(function () {
  "use strict";

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"];

  /* The script's words. A page in another language than English gives them in that language
     (templates/_script_words.html, as JSON in #trilat-words, which a test holds to these);
     %(name)s is a placeholder the script fills in. */
  var WORDS = {
    "showMore": "Show more",
    "covers": "covers %(covered)s",
    "published": "published %(published)s",
    "matchesOne": "%(count)s briefing matches: %(criteria)s.",
    "matchesOther": "%(count)s briefings match: %(criteria)s.",
    "copied": "%(what)s copied to the clipboard.",
    "notCopied": "Could not copy: the %(what)s is selected, copy it with your keyboard or menu.",
    "text": "Text",
    "briefing": "Briefing",
    "Type": "Type",
    "Theme": "Theme",
    "Country": "Country",
    "Year": "Year"
  };

  /* Read again on every page: with the theme's instant navigation a page is swapped in without a reload. */
  var words = WORDS;

  function readWords() {
    var given = document.getElementById("trilat-words");
    words = WORDS;
    if (!given) return;
    try {
      words = Object.assign({}, WORDS, JSON.parse(given.textContent));
    } catch (error) {
      console.warn("trilat: the page's words are not JSON:", error);
    }
  }

  /* A message with its placeholders filled: each by a string or an element, as nodes. */
  function fill(message, values) {
    return message.split(/(%\(\w+\)s)/).filter(Boolean).map(function (part) {
      var name = /^%\((\w+)\)s$/.exec(part);
      return name && Object.prototype.hasOwnProperty.call(values, name[1]) ? values[name[1]] : part;
    });
  }

  function fillText(message, values) {
    return fill(message, values).join("");
  }

  /* The page's language when it is not English: its dates are written its way (CLDR's, as the
     pages are: "2017년 3월 9일", "2017年3月9日"). */
  function pageLanguage() {
    var lang = (document.documentElement.lang || "en").toLowerCase();
    return lang.split("-")[0] === "en" ? null : lang;
  }

  /* The theme's drawer and search are checkboxes; a browser that restores form state on
     reload would reopen them, and the theme's markup no longer asks it not to. */
  function closeToggles() {
    ["__drawer", "__search"].forEach(function (id) {
      var toggle = document.getElementById(id);
      if (toggle) toggle.checked = false;
    });
  }

  /* Written out as the page writes dates, whatever the reader's locale: in English words on
     an English page. */
  function longDate(iso) {
    var parts = iso.split("-").map(Number);
    var lang = pageLanguage();
    if (lang) {
      var shape = parts.length === 1 ? { year: "numeric" } :
        parts.length === 2 ? { year: "numeric", month: "long" } : { year: "numeric", month: "long", day: "numeric" };
      shape.timeZone = "UTC";
      return new Intl.DateTimeFormat(lang, shape).format(new Date(Date.UTC(parts[0], (parts[1] || 1) - 1, parts[2] || 1)));
    }
    if (parts.length === 1) return String(parts[0]);
    if (parts.length === 2) return MONTHS[parts[1] - 1] + " " + parts[0];
    return parts[2] + " " + MONTHS[parts[1] - 1] + " " + parts[0];
  }

  /* A period as the pages write it: "March–May 2017", "17 April – 9 May 2017", "2016–2017". */
  function periodText(start, end) {
    if (start === end) return longDate(start);
    /* Another language: both ends as it writes dates, as the pages give a period. */
    if (pageLanguage()) return longDate(start) + " – " + longDate(end);
    var a = start.split("-").map(Number), b = end.split("-").map(Number);
    if (a.length === b.length && a.length > 1 && a[0] === b[0]) {
      if (a.length === 2) return MONTHS[a[1] - 1] + "–" + longDate(end);
      if (a[1] === b[1]) return a[2] + "–" + longDate(end);
      return a[2] + " " + MONTHS[a[1] - 1] + " – " + longDate(end);
    }
    var first = longDate(start), last = longDate(end);
    return (first + last).indexOf(" ") < 0 ? first + "–" + last : first + " – " + last;
  }

  function element(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, attrs[name]);
    });
    (children || []).forEach(function (child) {
      node.append(child);
    });
    return node;
  }

  /* A briefing as the search bundle describes it (templates/briefing.html). */
  function briefingOf(meta) {
    var span = meta.period ? meta.period.split("/") : null;
    return {
      title: meta.title,
      date: meta.iso,
      summary: meta.summary || "",
      period: span ? { start: span[0], end: span[1] || span[0] } : null
    };
  }

  function item(briefing, href) {
    var date = element("time", { datetime: briefing.date }, [longDate(briefing.date)]);
    var when = fill(words.published, { published: date });
    if (briefing.period) {
      var p = briefing.period;
      var span = p.start === p.end ?
        element("time", { datetime: p.start }, [longDate(p.start)]) :
        element("span", { "class": "trilat-range", title: p.start + "/" + p.end }, [periodText(p.start, p.end)]);
      when = fill(words.covers, { covered: span }).concat([" · "], when);
    }
    return element("li", { "class": "trilat-item" }, [
      element("a", { "class": "trilat-item__title", href: href }, [briefing.title]),
      " ",
      element("span", { "class": "trilat-item__date" }, when),
      element("p", { "class": "trilat-item__summary" }, [briefing.summary])
    ]);
  }

  /* The search index comes in shards (src/trilat_site/site/pagefind.py), listed per language in
     the bundle's shards.json in the site's order; a search starts from the bundle's root index,
     which has no pages, and merges every shard into it. Asked afresh on each page: it changes
     with every build that changed a shard. */
  var shardsLoading = null;

  function loadShards(bundle) {
    if (!shardsLoading) {
      shardsLoading = fetch(new URL("shards.json", bundle).href, { cache: "no-cache" })
        .then(function (response) {
          if (!response.ok) throw new Error("shards.json: HTTP " + response.status);
          return response.json();
        })
        .then(function (manifest) {
          /* The page's language, as Pagefind picks its index: the tag, its language, the site's. */
          var lang = (document.documentElement.lang || "").toLowerCase();
          var languages = manifest.languages || {};
          var key = [lang, lang.split("-")[0], manifest["default"]].filter(function (k) { return languages[k]; })[0];
          if (!key || !manifest.root) throw new Error("the search bundle has no index");
          return {
            /* An index without pages, with Pagefind's worker and WebAssembly: searches start there. */
            root: new URL(manifest.root, bundle).pathname,
            folders: languages[key].map(function (folder) { return new URL(folder, bundle).pathname; }),
            listing: key + manifest.listing,
            /* The site's API over the shards, which the search dialog loads as Pagefind's. */
            api: manifest.api ? new URL(manifest.api, bundle).pathname : bundle.pathname
          };
        });
      shardsLoading.catch(function () { shardsLoading = null; });
    }
    return shardsLoading;
  }

  /* Pagefind's script, loaded once, for the /briefings/ filter, with every shard merged in. Each
     shard answers to its own synthetic filter, so that the filter can ask the shards one by one.
     The filter asks by filters alone, with no search term, which makes Pagefind 1.5.2 fetch the
     whole word index: so each shard is merged in under the language in which it has no words
     (its "listing" view; see site/pagefind.py). */
  var SHARD = "trilat-shard";
  var pagefindLoading = null;

  function shardFilter(number) {
    var filter = {};
    filter[SHARD] = String(number);
    return filter;
  }

  function loadPagefind(bundle) {
    if (!pagefindLoading) {
      pagefindLoading = Promise.all([loadShards(bundle), import(new URL("pagefind.js", bundle).href)])
        .then(function (loaded) {
          var shards = loaded[0], pagefind = loaded[1];
          /* Results link from the site's root, wherever the site is served. */
          var base = new URL("..", bundle).pathname;
          return pagefind.options({ basePath: shards.root, baseUrl: base })
            .then(function () {
              return Promise.all(shards.folders.map(function (shard, number) {
                return pagefind.mergeIndex(shard, { baseUrl: base, language: shards.listing, mergeFilter: shardFilter(number) });
              }));
            })
            .then(function () { return { pagefind: pagefind, shards: shards.folders.length }; });
        });
    }
    return pagefindLoading;
  }

  /* The /briefings/ filter asks the search bundle, with no search term, for the briefings on
     a theme, involving a country or analysing a year, in the listing's order; it fetches only the
     briefings it shows, a page at a time, however many the site has. */
  var SHOWN = 20;
  var LISTING_FILTERS = { theme: "Theme", country: "Country", year: "Year" };

  function setupFilter(form) {
    var results = document.querySelector(".trilat-filter__results");
    var all = document.querySelector(".trilat-filter__all");
    var status = document.querySelector(".trilat-filter__status");
    /* On a page in a language after the site's first: where the untranslated briefings are filtered. */
    var others = document.querySelector(".trilat-filter__others");
    var fieldset = form.querySelector("fieldset");
    if (!results || !all || !status || !fieldset || form.dataset.trilatReady) return;
    var unfiltered = status.textContent;
    form.dataset.trilatReady = "true";
    var bundle = new URL(form.dataset.bundle, window.location.href);
    var fields = Object.keys(LISTING_FILTERS);
    var latest = 0;

    function chosen() {
      var values = {};
      fields.forEach(function (name) { values[name] = form.elements[name].value; });
      return values;
    }

    /* The filters hold what the pages show: a theme's title, a country's name, a year. */
    function label(name) {
      var select = form.elements[name];
      return select.options[select.selectedIndex].text;
    }

    /* What the search bundle calls the choice: a country by its full name, shown shorter. */
    function filterValue(name) {
      var option = form.elements[name].options[form.elements[name].selectedIndex];
      return option.dataset.filter || option.text;
    }

    function show(search, criteria) {
      var list = element("ul", { "class": "trilat-list" });
      var more = element("button", { "class": "md-button trilat-filter__more", type: "button" }, [words.showMore]);
      var shown = 0;
      var count = search.results.length;
      function next() {
        var batch = search.results.slice(shown, shown + SHOWN);
        shown += batch.length;
        more.hidden = shown >= count;
        return Promise.all(batch.map(function (result) { return result.data(); })).then(function (pages) {
          pages.forEach(function (page) {
            list.append(item(briefingOf(page.meta), page.url));
          });
        });
      }
      more.addEventListener("click", next);
      return next().then(function () {
        results.replaceChildren(list, more);
        results.hidden = false;
        all.hidden = true;
        status.textContent = fillText(count === 1 ? words.matchesOne : words.matchesOther, {
          count: String(count),
          criteria: criteria.join(", ")
        });
      });
    }

    function apply() {
      var want = chosen();
      var query = new URLSearchParams();
      fields.forEach(function (name) {
        if (want[name]) query.set(name, want[name]);
      });
      var search = query.toString();
      window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
      if (others) {
        var there = others.querySelector("a");
        if (there) {
          /* Relative, as the page wrote it, with the same choice. */
          if (!there.dataset.trilatBase) there.dataset.trilatBase = there.getAttribute("href");
          there.setAttribute("href", there.dataset.trilatBase + (search ? "?" + search : ""));
        }
        others.hidden = !search;
      }
      var asked = ++latest;
      if (!search) {
        results.hidden = true;
        results.replaceChildren();
        all.hidden = false;
        /* Rewritten only when it changed: a rewrite repaints the line for nothing. */
        if (status.textContent !== unfiltered) status.textContent = unfiltered;
        return;
      }
      /* The briefings as the page's language names their type (templates/briefing.html). */
      var filters = { Type: words.briefing };
      fields.forEach(function (name) {
        if (want[name]) filters[LISTING_FILTERS[name]] = filterValue(name);
      });
      var criteria = fields.filter(function (name) { return want[name]; }).map(label);
      loadPagefind(bundle)
        .then(function (loaded) {
          /* The listing's order: the pages carry their place in it as their `order` key, and
             Pagefind sorts each shard's results by it. The shards follow the listing's order
             (the site is built in it), so their results, one shard after the other, do too. */
          var asking = [];
          for (var number = 0; number < loaded.shards; number++) {
            var own = Object.assign({}, filters, shardFilter(number));
            asking.push(loaded.pagefind.search(null, { filters: own, sort: { order: "asc" } }));
          }
          return Promise.all(asking);
        })
        .then(function (found) {
          var results = [].concat.apply([], found.map(function (one) { return one.results; }));
          /* A later choice has been made meanwhile: its results are the ones to show. */
          if (asked === latest) return show({ results: results }, criteria);
        })
        .catch(function (error) {
          /* The paginated list is still there; say why the filter is not. */
          form.hidden = true;
          results.hidden = true;
          if (others) others.hidden = true;
          all.hidden = false;
          console.warn("trilat: briefing filter unavailable:", error);
        });
    }

    var initial = new URLSearchParams(window.location.search);
    fields.forEach(function (name) {
      var value = initial.get(name);
      var select = form.elements[name];
      if (value && Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
        select.value = value;
      }
    });
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      apply();
    });
    form.addEventListener("reset", function () {
      window.setTimeout(apply);
    });
    apply();
  }

  /* Site search: Pagefind's component UI, from the site's own bundle, loaded the first time
     the reader opens it, so that a page read without searching costs nothing more. */
  var FILTERS = ["Type", "Theme", "Country", "Year"];
  var RESULT = '<li class="pf-result"><div class="pf-result-card"><div class="pf-result-content">' +
    '<p class="pf-result-title"><a class="pf-result-link" href="{{ meta.url | default(url) | safeUrl }}">{{ meta.title }}</a></p>' +
    '<p class="trilat-result__about">{{ meta.type }}{{#if meta.date}} · {{ meta.date }}{{/if}}</p>' +
    '{{#if excerpt}}<p class="pf-result-excerpt">{{+ excerpt +}}</p>{{/if}}' +
    "</div></div></li>";
  var searching = null;

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = element("script", { src: src });
      script.addEventListener("load", resolve);
      script.addEventListener("error", function () { reject(new Error(src + " did not load")); });
      document.head.append(script);
    });
  }

  function searchDialog(button) {
    if (searching) return searching;
    var bundle = new URL(button.dataset.trilatSearch, window.location.href);
    document.head.append(element("link", { rel: "stylesheet", href: new URL("pagefind-component-ui.css", bundle).href }));
    searching = Promise.all([loadShards(bundle), loadScript(new URL("pagefind-component-ui.js", bundle).href)]).then(function (loaded) {
      var shards = loaded[0];
      /* Results link from the site's root, wherever the site is served. */
      var base = new URL("..", bundle).pathname;
      window.PagefindComponents.configureInstance("default", {
        bundlePath: shards.api,
        basePath: shards.root,
        baseUrl: base,
        mergeIndex: shards.folders.map(function (shard) { return { bundlePath: shard, baseUrl: base }; })
      });
      var template = element("script", { type: "text/pagefind-template" });
      template.textContent = RESULT;
      var filters = element("div", { "class": "trilat-search__filters" }, FILTERS.map(function (name) {
        return element("pagefind-filter-dropdown", { filter: name, label: words[name] || name });
      }));
      var modal = element("pagefind-modal", { "class": "trilat-search__modal" }, [
        element("pagefind-modal-header", {}, [element("pagefind-input")]),
        element("pagefind-modal-body", {}, [
          filters,
          element("pagefind-summary"),
          element("pagefind-results", { "hide-sub-results": "" }, [template])
        ]),
        element("pagefind-modal-footer", {}, [element("pagefind-keyboard-hints")])
      ]);
      document.body.append(modal);
      watchOptions(modal);
      return customElements.whenDefined("pagefind-modal").then(function () { return modal; });
    });
    return searching;
  }

  /* Pagefind's filter buttons have the combobox role, whose name is not taken from their
     text, and their option lists are named after the buttons: both are named by the
     button's visible label instead (axe: button-name, aria-input-field-name). */
  function nameFilters(modal) {
    modal.querySelectorAll("pagefind-filter-dropdown").forEach(function (dropdown) {
      var trigger = dropdown.querySelector(".pf-dropdown-trigger");
      var label = dropdown.querySelector(".pf-dropdown-trigger-label");
      if (!trigger || !label) return;
      label.id = label.id || trigger.id + "-label";
      trigger.setAttribute("aria-labelledby", label.id);
      var options = dropdown.querySelector("[role='listbox']");
      if (options) options.setAttribute("aria-labelledby", label.id);
    });
    modal.querySelectorAll(".pf-dropdown-option[aria-label]").forEach(unlabelOption);
  }

  /* Each filter option is labelled "value, N results" while it shows "value N": a name that
     does not contain the visible text (axe: label-content-name-mismatch). Named by its
     visible value instead; the count of results is announced with the results. */
  function unlabelOption(option) {
    option.removeAttribute("aria-label");
  }

  function watchOptions(modal) {
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        var node = change.target;
        if (node.classList && node.classList.contains("pf-dropdown-option") && node.hasAttribute("aria-label")) {
          unlabelOption(node);
        }
        change.addedNodes.forEach(function (added) {
          if (added.querySelectorAll) added.querySelectorAll(".pf-dropdown-option[aria-label]").forEach(unlabelOption);
          if (added.classList && added.classList.contains("pf-dropdown-option")) unlabelOption(added);
        });
      });
    }).observe(modal, { subtree: true, childList: true, attributes: true, attributeFilter: ["aria-label"] });
  }

  /* A modal dialog gives the focus back to what had it when it opened, but a dialog opened
     from the page itself (Ctrl+K with nothing focused) has nothing to give it back to, and
     the focus stays on the hidden control inside until the browser next draws: the page
     gets it back as the dialog closes. */
  function returnFocus(dialog, before) {
    dialog.addEventListener("close", function () {
      if (!dialog.contains(document.activeElement)) return;
      if (before && before !== document.body && before.isConnected) before.focus();
      else document.activeElement.blur();
    }, { once: true });
  }

  function openSearch(button) {
    var before = document.activeElement;
    searchDialog(button).then(function (modal) {
      var dialog = modal.querySelector("dialog");
      if (dialog && dialog.open) return;
      if (dialog && dialog.contains(before)) before = null;
      modal.open();
      if (dialog && dialog.open) returnFocus(dialog, before);
      else if (dialog) {
        /* Closed a moment ago: Pagefind counts its dialog open until the dialog's close
           event, which comes a task after Escape, and ignores an open() until then. */
        dialog.addEventListener("close", function () {
          modal.open();
          returnFocus(dialog, before);
        }, { once: true });
      }
      nameFilters(modal);
    }).catch(function (error) {
      searching = null;
      console.warn("trilat: search unavailable:", error);
    });
  }

  function setupSearch(button) {
    if (button.dataset.trilatReady) return;
    button.dataset.trilatReady = "true";
    button.addEventListener("click", function () { openSearch(button); });
    document.addEventListener("keydown", function (event) {
      /* Ctrl+K or ⌘K, as on most sites with a search dialog; a modifier keeps it out of the way
         of anyone typing or using single-key commands. */
      if (event.key.toLowerCase() === "k" && (event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey) {
        event.preventDefault();
        openSearch(button);
      }
    });
  }

  /* The clipboard API where the page is a secure context (https, localhost); elsewhere the
     older copy command on a selection. */
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise(function (resolve, reject) {
      var area = element("textarea", { readonly: "", "aria-hidden": "true", "class": "trilat-offscreen" });
      area.value = text;
      document.body.append(area);
      area.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (error) { done = false; }
      area.remove();
      if (done) resolve(); else reject(new Error("copy refused"));
    });
  }

  function selectContents(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  /* "Copy citation", "Copy BibTeX", "Copy RIS": the text of the element each button names,
     with the outcome said in words next to the buttons (and to screen readers). */
  function setupCopy(button) {
    if (button.dataset.trilatReady) return;
    button.dataset.trilatReady = "true";
    button.addEventListener("click", function () {
      var source = document.getElementById(button.dataset.trilatCopy);
      var status = button.parentNode.querySelector("[role=status]");
      if (!source || !status) return;
      var what = button.dataset.trilatWhat || words.text;
      status.textContent = "";
      status.classList.remove("trilat-cite__status--done");
      copyText(source.textContent.trim()).then(function () {
        status.textContent = fillText(words.copied, { what: what });
        status.classList.add("trilat-cite__status--done");
      }, function () {
        var details = source.closest("details");
        if (details) details.open = true;
        selectContents(source);
        status.textContent = fillText(words.notCopied, { what: what });
      });
    });
  }

  function setup() {
    readWords();
    var form = document.querySelector("form.trilat-filter");
    if (form) setupFilter(form);
    var search = document.querySelector("button.trilat-search");
    if (search) setupSearch(search);
    document.querySelectorAll("button[data-trilat-copy]").forEach(setupCopy);
  }

  closeToggles();

  /* With Material's instant navigation pages are swapped in without a reload. */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setup);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setup);
  } else {
    setup();
  }
})();
