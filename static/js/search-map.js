// The search's map (templates/pages/search.mustache, loaded only when a tile server is
// configured): the search's centre, its radius and one numbered marker per result of the page,
// the number of its line in the list. Decoration for sighted mouse users: the map is
// aria-hidden and nothing in it takes the focus (no keyboard handler, no zoom buttons, markers
// without tabindex); the list stays the truth. A marker clicked brings its result into view.
(function () {
  "use strict";
  var panel = document.querySelector("[data-sas-carte]");
  var element = document.getElementById("carte");
  if (!panel || !element || !window.L) return;

  function number(el, name) {
    return parseFloat(el.getAttribute(name));
  }

  var results = Array.prototype.slice.call(document.querySelectorAll("[data-sas-numero]"));
  if (!results.length) return;
  panel.hidden = false;

  var centre = L.latLng(number(element, "data-sas-lat"), number(element, "data-sas-lon"));
  var radius = number(element, "data-sas-rayon");
  var map = L.map(element, {
    keyboard: false,
    zoomControl: false,
    attributionControl: false, // the attribution is the text under the map
    boxZoom: false,
  });
  L.tileLayer(element.getAttribute("data-sas-tuiles"), { maxZoom: 18, minZoom: 5 }).addTo(map);
  L.circle(centre, {
    radius: radius,
    interactive: false,
    weight: 2,
    color: "#000091", // DSFR « bleu France »
    fillOpacity: 0.06,
  }).addTo(map);
  L.circleMarker(centre, {
    radius: 6, interactive: false, color: "#000091", fillColor: "#000091", fillOpacity: 1,
  }).addTo(map);

  // The whole circle and every marker (a circle's own bounds need a view, set only below).
  var bounds = centre.toBounds(2 * radius);
  results.forEach(function (result) {
    var at = [number(result, "data-sas-lat"), number(result, "data-sas-lon")];
    if (isNaN(at[0]) || isNaN(at[1])) return;
    var label = result.getAttribute("data-sas-numero");
    var icon = L.divIcon({
      className: "sas-marker",
      html: "<span>" + label.replace(/\D/g, "") + "</span>",
      iconSize: [28, 28],
      iconAnchor: [14, 14],
    });
    var marker = L.marker(at, { icon: icon, keyboard: false, title: "", alt: "" }).addTo(map);
    marker.on("click", function () {
      result.scrollIntoView({ block: "center" });
      var link = result.querySelector("a[href]");
      if (link) link.focus({ preventScroll: true });
    });
    bounds.extend(at);
  });
  map.fitBounds(bounds, { padding: [16, 16] });
})();
