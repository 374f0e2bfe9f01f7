// Kith's graph viewer: reads the graph from the #kith-data JSON element and draws it with
// Cytoscape.js. Every text from the graph reaches the page through textContent or a
// canvas label, never as HTML.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('kith-data').textContent);
  var byId = {};
  data.entities.forEach(function (e) { byId[e.id] = e; });
  var relById = {};
  data.relations.forEach(function (r) { relById[r.id] = r; });
  var big = data.entities.length > 1000;

  // Case, accents and spacing ignored, as `kith neighbors` matches names.
  function fold(s) {
    return s.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
  }
  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  // Start positions on a circle by index: a deterministic start for the force layout.
  var n = data.entities.length;
  var radius = Math.max(200, Math.sqrt(n) * 60);
  var elements = data.entities.map(function (e, i) {
    var a = 2 * Math.PI * i / Math.max(1, n);
    return {
      group: 'nodes',
      data: { id: e.id, label: e.name, kind: e.kind, colour: data.colours[e.kind] || '#d9d9d9' },
      position: { x: radius * Math.cos(a), y: radius * Math.sin(a) }
    };
  });
  data.relations.forEach(function (r) {
    var cls = r.cooccurrence ? 'cooccurrence' : (r.polarity === 'negated' ? 'negated' : (r.modality !== 'asserted' ? 'hedged' : 'fact'));
    elements.push({ group: 'edges', data: { id: r.id, source: r.source, target: r.target, label: r.predicate }, classes: cls });
  });

  var cy = cytoscape({
    container: document.getElementById('cy'),
    elements: elements,
    wheelSensitivity: 0.3,
    textureOnViewport: big,
    hideEdgesOnViewport: big,
    style: [
      { selector: 'node', style: {
        'background-color': 'data(colour)', 'border-width': 1, 'border-color': '#555',
        'label': 'data(label)', 'font-size': 10, 'min-zoomed-font-size': 7,
        'text-valign': 'bottom', 'text-margin-y': 2, 'width': 18, 'height': 18 } },
      { selector: 'edge', style: {
        'width': 1.2, 'line-color': '#777', 'target-arrow-color': '#777',
        'target-arrow-shape': 'triangle', 'arrow-scale': 0.7,
        'curve-style': big ? 'haystack' : 'bezier', 'font-size': 8, 'min-zoomed-font-size': 9,
        'label': 'data(label)', 'text-rotation': 'autorotate', 'color': '#555' } },
      { selector: 'edge.negated', style: { 'line-style': 'dashed', 'line-color': '#c0392b', 'target-arrow-color': '#c0392b' } },
      { selector: 'edge.hedged', style: { 'line-style': 'dotted' } },
      { selector: 'edge.cooccurrence', style: { 'line-color': '#bbb', 'target-arrow-shape': 'none', 'label': '' } },
      { selector: '.hidden', style: { 'display': 'none' } },
      { selector: '.found', style: { 'border-width': 4, 'border-color': '#e67e22' } },
      { selector: ':selected', style: { 'border-width': 4, 'border-color': '#2c3e50', 'line-color': '#2c3e50', 'target-arrow-color': '#2c3e50', 'width': 3 } }
    ],
    layout: { name: 'preset' }
  });
  var layoutDone = false;
  var layout = cy.layout(n <= 400
    ? { name: 'cose', animate: false, randomize: false, fit: true, padding: 30, numIter: 1500,
        nodeRepulsion: function () { return 400000; }, idealEdgeLength: function () { return 90; },
        nodeOverlap: 40, gravity: 0.3, componentSpacing: 60 }
    : { name: 'concentric', animate: false, fit: true, padding: 30, minNodeSpacing: 6,
        concentric: function (node) { return node.degree(); }, levelWidth: function () { return 2; } });
  layout.one('layoutstop', function () { layoutDone = true; });
  layout.run();

  // Filters: entity types, predicates, and entities without visible relations.
  var typeBoxes = {};
  var typesDiv = document.getElementById('types');
  var kinds = {};
  data.entities.forEach(function (e) { kinds[e.kind] = (kinds[e.kind] || 0) + 1; });
  Object.keys(kinds).sort().forEach(function (k) {
    var label = el('label');
    var box = el('input'); box.type = 'checkbox'; box.checked = true; box.value = k;
    box.addEventListener('change', apply);
    var sw = el('span', null, 'swatch'); sw.style.background = data.colours[k] || '#d9d9d9';
    label.appendChild(box); label.appendChild(sw); label.appendChild(document.createTextNode(k + ' (' + kinds[k] + ')'));
    typesDiv.appendChild(label);
    typeBoxes[k] = box;
  });
  var edgeLegend = document.getElementById('edge-legend');
  [['fact', '#444', 'solid'], ['negated', '#c0392b', 'dashed'], ['planned, reported or conditional', '#444', 'dotted'], ['co-occurrence', '#bbb', 'solid']].forEach(function (l) {
    var row = el('div'); var line = el('span', null, 'line');
    line.style.borderTopColor = l[1]; line.style.borderTopStyle = l[2];
    row.appendChild(line); row.appendChild(document.createTextNode(l[0]));
    edgeLegend.appendChild(row);
  });
  var predBoxes = {};
  var preds = {};
  data.relations.forEach(function (r) { preds[r.predicate] = (preds[r.predicate] || 0) + 1; });
  var predDiv = document.getElementById('predicates');
  Object.keys(preds).sort(function (a, b) { return preds[b] - preds[a] || (a < b ? -1 : 1); }).forEach(function (p) {
    var label = el('label');
    var box = el('input'); box.type = 'checkbox'; box.checked = true; box.value = p;
    box.addEventListener('change', apply);
    label.appendChild(box); label.appendChild(document.createTextNode(' ' + p + ' (' + preds[p] + ')'));
    label.title = p;
    predDiv.appendChild(label);
    predBoxes[p] = box;
  });
  function setAll(on) { Object.keys(predBoxes).forEach(function (p) { predBoxes[p].checked = on; }); apply(); }
  document.getElementById('all-predicates').addEventListener('click', function () { setAll(true); });
  document.getElementById('no-predicates').addEventListener('click', function () { setAll(false); });
  var isolated = document.getElementById('isolated');
  isolated.addEventListener('change', apply);

  function apply() {
    cy.batch(function () {
      cy.nodes().forEach(function (node) {
        node.toggleClass('hidden', !typeBoxes[node.data('kind')].checked);
      });
      cy.edges().forEach(function (edge) {
        var r = relById[edge.id()];
        var shown = predBoxes[r.predicate].checked && !edge.source().hasClass('hidden') && !edge.target().hasClass('hidden');
        edge.toggleClass('hidden', !shown);
      });
      if (isolated.checked) {
        cy.nodes().forEach(function (node) {
          if (!node.hasClass('hidden') && node.connectedEdges().filter(function (e) { return !e.hasClass('hidden'); }).length === 0) {
            node.addClass('hidden');
          }
        });
      }
    });
    count();
  }
  function shown(collection) { return collection.filter(function (x) { return !x.hasClass('hidden'); }).length; }
  function count() {
    document.getElementById('count').textContent =
      shown(cy.nodes()) + ' of ' + cy.nodes().length + ' entities, ' +
      shown(cy.edges()) + ' of ' + cy.edges().length + ' relations';
  }

  // Search: names and aliases containing the query, folded; best (name starts) first.
  var search = document.getElementById('search');
  var matches = document.getElementById('matches');
  function find(query) {
    var q = fold(query);
    if (!q) return [];
    var hits = [];
    data.entities.forEach(function (e) {
      var names = [e.name].concat(e.aliases).map(fold);
      var rank = names.some(function (x) { return x === q; }) ? 0
        : names.some(function (x) { return x.indexOf(q) === 0; }) ? 1
        : names.some(function (x) { return x.indexOf(q) >= 0; }) ? 2 : -1;
      if (rank >= 0) hits.push([rank, e.name, e.id]);
    });
    hits.sort(function (a, b) { return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0); });
    return hits.slice(0, 50).map(function (h) { return byId[h[2]]; });
  }
  search.addEventListener('input', function () {
    cy.nodes().removeClass('found');
    matches.textContent = '';
    var hits = find(search.value);
    hits.forEach(function (e) {
      cy.getElementById(e.id).addClass('found');
      var li = el('li', e.name + ' (' + e.kind + ')');
      li.dataset.id = e.id;
      li.addEventListener('click', function () { focus(e.id); });
      matches.appendChild(li);
    });
  });
  search.addEventListener('keydown', function (ev) {
    if (ev.key === 'Enter') { var hits = find(search.value); if (hits.length) focus(hits[0].id); }
    if (ev.key === 'Escape') { matches.textContent = ''; }
  });
  function focus(id) {
    matches.textContent = '';
    var node = cy.getElementById(id);
    node.removeClass('hidden');
    cy.elements().unselect();
    node.select();
    cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1.2) }, { duration: 200 });
    showEntity(byId[id]);
  }
  document.getElementById('fit').addEventListener('click', function () { cy.fit(cy.elements(':visible'), 30); });

  // The panel: an entity's names, documents and relations, or a relation's evidence.
  var panel = document.getElementById('panel');
  function docName(i) {
    var d = data.documents[i];
    return d ? (d.title || d.source || d.id) : '?';
  }
  function entityLink(id) {
    var e = byId[id];
    var a = el('a', e ? e.name : id, 'entity');
    a.addEventListener('click', function () { focus(id); });
    return a;
  }
  function showEntity(e) {
    panel.textContent = '';
    panel.appendChild(el('h3', e.name));
    panel.appendChild(el('div', e.kind + ' · ' + e.mentions + ' mention' + (e.mentions === 1 ? '' : 's') + ' · ' + e.id, 'meta'));
    if (e.aliases.length) {
      panel.appendChild(el('h4', 'Also called'));
      panel.appendChild(el('div', e.aliases.join(', '), 'aliases'));
    }
    panel.appendChild(el('h4', 'Documents'));
    var docs = el('ul', null, 'documents');
    e.docs.forEach(function (i) { docs.appendChild(el('li', docName(i))); });
    panel.appendChild(docs);
    panel.appendChild(el('h4', 'Relations'));
    var list = el('ul', null, 'relations');
    cy.getElementById(e.id).connectedEdges().forEach(function (edge) {
      var r = relById[edge.id()];
      var li = el('li');
      li.appendChild(entityLink(r.source));
      var p = el('a', ' ' + r.predicate + ' ', 'entity');
      p.addEventListener('click', function () { cy.elements().unselect(); edge.select(); showRelation(r); });
      li.appendChild(p);
      li.appendChild(entityLink(r.target));
      list.appendChild(li);
    });
    panel.appendChild(list);
  }
  function showRelation(r) {
    panel.textContent = '';
    var h = el('h3');
    h.appendChild(entityLink(r.source));
    h.appendChild(document.createTextNode(' ' + r.predicate + ' '));
    h.appendChild(entityLink(r.target));
    panel.appendChild(h);
    panel.appendChild(el('div', r.polarity + ' · ' + r.modality + ' · confidence ' + r.confidence + ' · stated ' + r.count + ' time' + (r.count === 1 ? '' : 's'), 'meta'));
    panel.appendChild(el('h4', 'Evidence'));
    r.evidence.forEach(function (ev) {
      var q = el('blockquote', null, 'evidence');
      var text = ev.text;
      var at = 0;
      ev.marks.forEach(function (m) {
        q.appendChild(document.createTextNode(text.slice(at, m[0])));
        q.appendChild(el('mark', text.slice(m[0], m[1]), m[2] === 0 ? 'subject' : 'object'));
        at = m[1];
      });
      q.appendChild(document.createTextNode(text.slice(at)));
      panel.appendChild(q);
      panel.appendChild(el('div', docName(ev.doc) + ', sentence ' + (ev.sentence + 1), 'meta'));
    });
  }
  cy.on('tap', 'node', function (evt) { showEntity(byId[evt.target.id()]); });
  cy.on('tap', 'edge', function (evt) { showRelation(relById[evt.target.id()]); });

  count();
  // For tests and scripting: the Cytoscape instance and the viewer's state.
  window.kithViewer = {
    cy: cy,
    ready: function () { return layoutDone; },
    shownEntities: function () { return shown(cy.nodes()); },
    shownRelations: function () { return shown(cy.edges()); }
  };
})();
