/* The one script trilat-site adds to every page. Everything it does is an enhancement:
   each page is complete without it. */
(function () {
  "use strict";

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December"];

  /* The theme's drawer and search are checkboxes; a browser that restores form state on
     reload would reopen them, and the theme's markup no longer asks it not to. */
  function closeToggles() {
    ["__drawer", "__search"].forEach(function (id) {
      var toggle = document.getElementById(id);
      if (toggle) toggle.checked = false;
    });
  }

  /* Written out in English words, as the pages write dates, whatever the reader's locale. */
  function longDate(iso) {
    var parts = iso.split("-").map(Number);
    if (parts.length === 1) return String(parts[0]);
    if (parts.length === 2) return MONTHS[parts[1] - 1] + " " + parts[0];
    return parts[2] + " " + MONTHS[parts[1] - 1] + " " + parts[0];
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

  function item(briefing, href) {
    var date = element("time", { datetime: briefing.date }, [longDate(briefing.date)]);
    return element("li", { "class": "trilat-item" }, [
      element("a", { "class": "trilat-item__title", href: href }, [briefing.title]),
      " ",
      element("span", { "class": "trilat-item__date" }, [date]),
      element("p", { "class": "trilat-item__summary" }, [briefing.summary])
    ]);
  }

  function ids(list) {
    return list.map(function (entry) { return entry.id; });
  }

  function setupFilter(form) {
    var results = document.querySelector(".trilat-filter__results");
    var all = document.querySelector(".trilat-filter__all");
    var status = form.querySelector(".trilat-filter__status");
    if (!results || !all || !status || form.dataset.trilatReady) return;
    form.dataset.trilatReady = "true";
    var home = new URL(form.dataset.home, window.location.href);
    var fields = ["theme", "country", "year"];

    fetch(new URL(form.dataset.export, window.location.href))
      .then(function (response) {
        if (!response.ok) throw new Error(response.url + ": HTTP " + response.status);
        return response.json();
      })
      .then(function (data) {
        var briefings = data.briefings || [];

        function chosen() {
          var values = {};
          fields.forEach(function (name) { values[name] = form.elements[name].value; });
          return values;
        }

        function label(name) {
          var select = form.elements[name];
          return select.options[select.selectedIndex].text;
        }

        function apply() {
          var want = chosen();
          var query = new URLSearchParams();
          fields.forEach(function (name) {
            if (want[name]) query.set(name, want[name]);
          });
          var search = query.toString();
          window.history.replaceState(null, "", search ? "?" + search : window.location.pathname);
          if (!search) {
            results.hidden = true;
            results.replaceChildren();
            all.hidden = false;
            status.textContent = "";
            return;
          }
          var matches = briefings.filter(function (b) {
            return (!want.theme || ids(b.themes).indexOf(want.theme) >= 0) &&
              (!want.country || ids(b.countries).indexOf(want.country) >= 0) &&
              (!want.year || b.date.slice(0, 4) === want.year);
          });
          var list = element("ul", { "class": "trilat-list" }, matches.map(function (b) {
            /* Each briefing's address relative to the site's root, wherever the site is served. */
            return item(b, new URL(b.path, home).href);
          }));
          results.replaceChildren(list);
          results.hidden = false;
          all.hidden = true;
          var criteria = fields.filter(function (name) { return want[name]; }).map(label);
          status.textContent = (matches.length === 1 ? "1 briefing" : matches.length + " briefings") +
            " " + (matches.length === 1 ? "matches" : "match") + ": " + criteria.join(", ") + ".";
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
      })
      .catch(function (error) {
        /* The paginated list is still there; say why the filter is not. */
        form.hidden = true;
        console.warn("trilat: briefing filter unavailable:", error);
      });
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
    searching = loadScript(new URL("pagefind-component-ui.js", bundle).href).then(function () {
      var template = element("script", { type: "text/pagefind-template" });
      template.textContent = RESULT;
      var filters = element("div", { "class": "trilat-search__filters" }, FILTERS.map(function (name) {
        return element("pagefind-filter-dropdown", { filter: name, label: name });
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
      /* Results link from the site's root, wherever the site is served. */
      document.body.append(
        element("pagefind-config", { "bundle-path": bundle.href, "base-url": new URL("..", bundle).pathname }),
        modal
      );
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

  function openSearch(button) {
    searchDialog(button).then(function (modal) {
      modal.open();
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

  function setup() {
    var form = document.querySelector("form.trilat-filter");
    if (form) setupFilter(form);
    var search = document.querySelector("button.trilat-search");
    if (search) setupSearch(search);
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
