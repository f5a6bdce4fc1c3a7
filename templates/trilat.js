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

  /* A period as the pages write it: "March–May 2017", "17 April – 9 May 2017", "2016–2017". */
  function periodText(start, end) {
    if (start === end) return longDate(start);
    var a = start.split("-").map(Number), b = end.split("-").map(Number);
    if (a.length === b.length && a.length > 1 && a[0] === b[0]) {
      if (a.length === 2) return MONTHS[a[1] - 1] + "–" + longDate(end);
      if (a[1] === b[1]) return a[2] + "–" + longDate(end);
      return a[2] + " " + MONTHS[a[1] - 1] + " – " + longDate(end);
    }
    var first = longDate(start), last = longDate(end);
    return (first + last).indexOf(" ") < 0 ? first + "–" + last : first + " – " + last;
  }

  /* The period a briefing analyses, else the day it was published, as [start, end]. */
  function covered(b) {
    return b.period ? [b.period.start, b.period.end] : [b.date, b.date];
  }

  function years(b) {
    var span = covered(b), out = [];
    for (var y = Number(span[0].slice(0, 4)); y <= Number(span[1].slice(0, 4)); y++) out.push(String(y));
    return out;
  }

  /* The listing's order (core/index.py, latest_period_first): latest end, latest start, newest, slug. */
  function key(iso, missing) {
    var p = iso.split("-").map(Number);
    return [p[0], p.length > 1 ? p[1] : missing[0], p.length > 2 ? p[2] : missing[1]];
  }

  function compare(x, y) {
    for (var i = 0; i < x.length; i++) {
      if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    }
    return 0;
  }

  function byPeriod(a, b) {
    var sa = covered(a), sb = covered(b);
    return -compare(key(sa[1], [13, 32]), key(sb[1], [13, 32])) ||
      -compare(key(sa[0], [0, 0]), key(sb[0], [0, 0])) ||
      (a.date === b.date ? 0 : a.date < b.date ? 1 : -1) ||
      (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0);
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
    var when = ["published ", date];
    if (briefing.period) {
      var p = briefing.period;
      var span = p.start === p.end ?
        element("time", { datetime: p.start }, [longDate(p.start)]) :
        element("span", { "class": "trilat-range", title: p.start + "/" + p.end }, [periodText(p.start, p.end)]);
      when = ["covers ", span, " · "].concat(when);
    }
    return element("li", { "class": "trilat-item" }, [
      element("a", { "class": "trilat-item__title", href: href }, [briefing.title]),
      " ",
      element("span", { "class": "trilat-item__date" }, when),
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
        var briefings = (data.briefings || []).slice().sort(byPeriod);
        var offered = [];
        briefings.forEach(function (b) {
          years(b).forEach(function (year) {
            if (offered.indexOf(year) < 0) offered.push(year);
          });
        });
        offered.sort().reverse().forEach(function (year) {
          form.elements.year.append(element("option", { value: year }, [year]));
        });

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
              (!want.year || years(b).indexOf(want.year) >= 0);
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
        form.hidden = false;
        apply();
      })
      .catch(function (error) {
        /* The paginated list is still there; say why the filter is not. */
        console.warn("trilat: briefing filter unavailable:", error);
      });
  }

  function setup() {
    var form = document.querySelector("form.trilat-filter");
    if (form) setupFilter(form);
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
