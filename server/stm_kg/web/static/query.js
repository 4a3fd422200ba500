/* The query page: YASGUI against this server's endpoint, with the project's prefixes and example queries.
   Autocompleters that would call other sites (Linked Open Vocabularies) are switched off.
   Tabs persist in the browser (localStorage, YASGUI's persistence): the user's own tab and every example tab
   opened survive a reload. An example opens in a tab of its own ("example-" + its name), or goes back to that
   tab when it is open already; it never overwrites another tab. PREFIX lines open folded. */
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("stm-kg-config").textContent);
  var prefixLines = Object.keys(config.prefixes).map(function (p) {
    return "PREFIX " + p + ": <" + config.prefixes[p] + ">";
  });
  var defaultQuery = prefixLines.join("\n") +
    "\n\nSELECT ?subject ?label WHERE {\n  ?subject skos:prefLabel ?label .\n  FILTER(LANG(?label) = \"nl\")\n}\nLIMIT 25\n";

  Yasgui.Yasqe.defaults.autocompleters = ["prefixes", "variables"];
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: config.endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    persistenceId: "stm-kg",
    endpointCatalogueOptions: { getData: function () { return [{ endpoint: config.endpoint }]; } },
    yasqe: { value: defaultQuery, collapsePrefixesOnLoad: true },
    yasr: { prefixes: config.prefixes, defaultPlugin: "table" },
  });
  window.stmKgYasgui = yasgui;

  /* Accessibility repairs of YASGUI's markup (checked with axe-core in tests/accessibility): name the endpoint
     field and the editor's input, and let keyboard users reach the editor's scrolling region. */
  function labelControls() {
    document.querySelectorAll("#yasgui input.autocomplete").forEach(function (input) {
      input.setAttribute("aria-label", "SPARQL endpoint");
    });
    document.querySelectorAll("#yasgui .CodeMirror textarea").forEach(function (area) {
      area.setAttribute("aria-label", "SPARQL query");
    });
    document.querySelectorAll("#yasgui .CodeMirror-scroll").forEach(function (region) {
      region.setAttribute("tabindex", "0");
    });
  }
  labelControls();
  yasgui.on("tabChange", labelControls);
  yasgui.on("tabSelect", labelControls);

  var byName = {};
  config.examples.forEach(function (example) { byName[example.name] = example; });

  /* The example's own tab: selected when open already (with whatever the user made of it), else added and run. */
  function openExample(example) {
    var id = "example-" + example.name;
    if (yasgui.getTab(id)) {
      yasgui.selectTabId(id);
      return yasgui.getTab(id);
    }
    var tab = yasgui.addTab(true, {
      id: id,
      name: example.title,
      yasqe: { value: example.query },
      requestConfig: { endpoint: config.endpoint, method: "POST" },
    });
    tab.query().catch(function () { /* the error shows in the results panel */ });
    return tab;
  }
  window.stmKgOpenExample = function (name) { return openExample(byName[name]); };

  document.querySelectorAll("button.example").forEach(function (button) {
    button.addEventListener("click", function () { openExample(byName[button.dataset.name]); });
  });
})();
