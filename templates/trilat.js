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
    var status = document.querySelector(".trilat-filter__status");
    var fieldset = form.querySelector("fieldset");
    if (!results || !all || !status || !fieldset || form.dataset.trilatReady) return;
    var unfiltered = status.textContent;
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
        var years = [];
        briefings.forEach(function (b) {
          var year = b.date.slice(0, 4);
          if (years.indexOf(year) < 0) years.push(year);
        });
        years.sort().reverse().forEach(function (year) {
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
            /* Rewritten only when it changed: a rewrite repaints the line for nothing. */
            if (status.textContent !== unfiltered) status.textContent = unfiltered;
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
        fieldset.disabled = false;
        apply();
      })
      .catch(function (error) {
        /* The paginated list is still there; say why the filter is not. */
        form.hidden = true;
        console.warn("trilat: briefing filter unavailable:", error);
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
      var what = button.dataset.trilatWhat || "Text";
      status.textContent = "";
      status.classList.remove("trilat-cite__status--done");
      copyText(source.textContent.trim()).then(function () {
        status.textContent = what + " copied to the clipboard.";
        status.classList.add("trilat-cite__status--done");
      }, function () {
        var details = source.closest("details");
        if (details) details.open = true;
        selectContents(source);
        status.textContent = "Could not copy: the " + what + " is selected, copy it with your keyboard or menu.";
      });
    });
  }

  function setup() {
    var form = document.querySelector("form.trilat-filter");
    if (form) setupFilter(form);
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
