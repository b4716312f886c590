// The review page: draws the server's state, turns keys and buttons into edit operations (align/edits.py) and
// posts them. Every text reaches the page through textContent, never as HTML.
(function () {
  'use strict';
  var TOKEN = document.body.dataset.token;
  var state = null, cursor = 0, focus = {side: 'src', k: 0}, showOther = false, view = [];
  var mode = null;  // null, {kind: 'split', a, b} or {kind: 'edit', side, index}
  var pending = 0, chain = Promise.resolve();
  var $ = function (id) { return document.getElementById(id); };
  var tbody = document.querySelector('#units tbody');

  function message(text, error) {
    var el = $('message');
    el.textContent = text || '';
    el.classList.toggle('error', !!error);
  }

  // ------------------------------------------------------------------ talking to the server

  function request(path, body) {
    var options = {headers: {'X-Align-Token': TOKEN}};
    if (body !== undefined) {
      options.method = 'POST';
      options.headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body);
    }
    return fetch(path, options).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) throw new Error(data.error || response.statusText);
        return data;
      });
    });
  }

  // Everything runs in order, one at a time: keys pressed while the server works wait their turn.
  function queue(work) {
    pending++;
    document.body.dataset.pending = pending;
    chain = chain.then(work).catch(function (error) { message(error.message, true); }).then(function () {
      pending--;
      document.body.dataset.pending = pending;
    });
  }

  function anchorOf(k) {
    var bead = state && state.beads[k];
    if (!bead) return null;
    return bead.src.length ? {side: 'src', index: bead.src[0]} : {side: 'tgt', index: bead.tgt[0]};
  }

  function beadHolding(anchor) {
    if (!anchor) return -1;
    for (var k = 0; k < state.beads.length; k++) {
      if (state.beads[k][anchor.side].indexOf(anchor.index) >= 0) return k;
    }
    return -1;
  }

  // Post an action; afterwards the cursor goes to the bead holding `anchor` (the current bead's first sentence
  // unless given), else stays at the same position.
  function send(path, body, anchor, note) {
    var keep = anchor || anchorOf(cursor), position = cursor;
    return request(path, body).then(function (data) {
      setState(data);
      var k = beadHolding(keep);
      cursor = k >= 0 ? k : Math.min(position, state.beads.length - 1);
      focus = {side: focus.side, k: 0};
      mode = null;
      render();
      message(note || '');
      return data;
    });
  }

  function edit(ops, anchor, note) { return send('/api/edit', {ops: ops}, anchor, note); }

  function setState(data) {
    state = data;
    var flags = {};
    state.beads.forEach(function (b) { b.flags.forEach(function (f) { flags[f.name] = (flags[f.name] || 0) + 1; }); });
    var select = $('flag'), chosen = select.value;
    while (select.options.length > 1) select.remove(1);
    Object.keys(flags).sort().forEach(function (name) {
      var option = document.createElement('option');
      option.value = name;
      option.textContent = name + ' (' + flags[name] + ')';
      select.appendChild(option);
    });
    select.value = flags[chosen] ? chosen : '';
  }

  // ------------------------------------------------------------------ what is shown, in which order

  function textOf(side, index) {
    var sentence = state[side].sentences[index];
    return showOther && sentence.other !== null ? sentence.other : sentence.text;
  }

  function computeView() {
    var show = $('show').value, flag = $('flag').value, needle = $('search').value.trim().toLowerCase();
    var order = $('order').value;
    var keys = [];
    state.beads.forEach(function (b, k) {
      if (show === 'review' && !b.review) return;
      if (show === 'open' && b.status) return;
      if ((show === 'confirmed' || show === 'rejected') && b.status !== show) return;
      if (show === 'flagged' && !b.flags.length) return;
      if (flag && !b.flags.some(function (f) { return f.name === flag; })) return;
      if (needle) {
        var words = [];
        ['src', 'tgt'].forEach(function (side) {
          b[side].forEach(function (i) {
            var s = state[side].sentences[i];
            words.push(s.text, s.other || '');
          });
        });
        if (words.join(' ').toLowerCase().indexOf(needle) < 0) return;
      }
      keys.push(k);
    });
    var rank = function (k) {
      var b = state.beads[k];
      if (order === 'review') return b.review ? 0 : b.status ? 2 : 1;
      if (order === 'worst') return b.score;
      return 0;
    };
    keys.sort(function (x, y) { return (rank(x) - rank(y)) || (x - y); });
    view = keys;
  }

  function sentenceSpan(side, index, classes) {
    var span = document.createElement('span');
    span.className = 'sent' + (classes ? ' ' + classes : '');
    if (state[side].sentences[index].kind === 'heading') span.classList.add('heading');
    span.dataset.side = side;
    span.dataset.index = index;
    span.textContent = textOf(side, index);
    return span;
  }

  function cell(tr, className, text) {
    var td = document.createElement('td');
    td.className = className;
    if (text !== undefined) td.textContent = text;
    tr.appendChild(td);
    return td;
  }

  function scoreColour(value) {
    return 'hsl(' + Math.round(120 * Math.max(0, Math.min(1, value))) + ',' + Math.round(70 - 15 * value) + '%,82%)';
  }

  function sideCell(tr, bead, side, current, lang) {
    var td = cell(tr, 'text');
    td.lang = lang;
    var cut = current && mode && mode.kind === 'split' ? (side === 'src' ? mode.a : mode.b) : -1;
    bead[side].forEach(function (index, position) {
      if (position === cut && cut > 0) td.appendChild(Object.assign(document.createElement('span'), {className: 'cut'}));
      if (current && mode && mode.kind === 'edit' && mode.side === side && mode.index === index) {
        var area = document.createElement('textarea');
        area.className = 'editor';
        area.value = state[side].sentences[index].text;
        area.setAttribute('aria-label', 'sentence text');
        td.appendChild(area);
        return;
      }
      var classes = [];
      if (current && !mode && focus.side === side && focus.k === position) classes.push('focus');
      if (cut >= 0 && position >= cut) classes.push('after-cut');
      td.appendChild(sentenceSpan(side, index, classes.join(' ')));
    });
    if (cut === bead[side].length && cut > 0) {
      td.appendChild(Object.assign(document.createElement('span'), {className: 'cut'}));
    }
    return td;
  }

  function render() {
    if (!state) return;
    computeView();
    var p = state.progress, h = state.history;
    $('progress').textContent = p.confirmed + ' of ' + p.units + ' units confirmed · ' + p.rejected + ' rejected · ' +
      p.to_review + ' to review';
    $('history').textContent = h.done + ' edit' + (h.done === 1 ? '' : 's') + (h.can_redo ? ' (' + (h.steps - h.done) +
      ' undone)' : '');
    $('file').textContent = state.file;
    $('outputs').textContent = state.outputs.tmx + ', ' + state.outputs.beads + ', ' + state.outputs.report;
    $('src-label').textContent = state.src.label;
    $('tgt-label').textContent = state.tgt.label;
    $('undo').disabled = !h.can_undo;
    $('redo').disabled = !h.can_redo;
    $('script').disabled = !(state.src.serbian || state.tgt.serbian);
    var warnings = $('warnings');
    warnings.textContent = '';
    state.warnings.forEach(function (w) {
      var p = document.createElement('p');
      p.className = 'warning';
      p.textContent = 'Warning: ' + w;
      warnings.appendChild(p);
    });
    var rows = document.createDocumentFragment(), currentRow = null;
    view.forEach(function (k) {
      var b = state.beads[k], current = k === cursor;
      var tr = document.createElement('tr');
      tr.id = 'bead-' + k;
      tr.dataset.k = k;
      tr.className = (b.unit ? 'unit' : 'lone') + (b.ok ? '' : ' notok') + (b.status ? ' ' + b.status : '') +
        (current ? ' current' : '');
      cell(tr, 'n', String(k + 1));
      cell(tr, 'mark', b.status === 'confirmed' ? '✓ confirmed' : b.status === 'rejected' ? '✗ rejected' :
        b.review ? 'to review' : '');
      var score = cell(tr, 'score', b.score.toFixed(2));
      score.style.background = scoreColour(b.score);
      sideCell(tr, b, 'src', current, 'src');
      sideCell(tr, b, 'tgt', current, 'tgt');
      var flags = cell(tr, 'flags');
      b.flags.forEach(function (f) {
        var tag = document.createElement('span');
        tag.className = 'flag' + (f.severe ? ' severe' : '');
        tag.textContent = f.name;
        tag.title = state.meanings[f.name] || '';
        flags.appendChild(tag);
      });
      b.flags.forEach(function (f) {
        var reason = document.createElement('span');
        reason.className = 'reason';
        reason.textContent = f.reason;
        flags.appendChild(reason);
      });
      tr.addEventListener('click', function () { if (!mode) { cursor = k; focus = {side: 'src', k: 0}; render(); } });
      rows.appendChild(tr);
      if (current) currentRow = tr;
    });
    tbody.textContent = '';
    tbody.appendChild(rows);
    $('shown').textContent = view.length + ' of ' + state.beads.length + ' rows shown';
    if (currentRow) currentRow.scrollIntoView({block: 'nearest'});
    var area = tbody.querySelector('textarea.editor');
    if (area) {
      area.focus();
      area.setSelectionRange(area.value.length, area.value.length);
      area.addEventListener('keydown', editorKey);
    }
  }

  // ------------------------------------------------------------------ the actions

  function bead() { return state.beads[cursor]; }
  function link(src, tgt) { return {op: 'link', src: src, tgt: tgt}; }
  function without(list, item) { return list.filter(function (x) { return x !== item; }); }
  function focusedSide() {
    var b = bead();
    if (focus.side === 'src' && b.src.length) return 'src';
    if (focus.side === 'tgt' && b.tgt.length) return 'tgt';
    return b.src.length ? 'src' : 'tgt';
  }
  function focusedSentence() {
    var side = focusedSide(), list = bead()[side];
    return {side: side, index: list[Math.min(focus.k, list.length - 1)]};
  }

  function move(step) {
    var position = view.indexOf(cursor);
    if (position < 0) position = step > 0 ? -1 : view.length;
    var next = view[position + step];
    if (next !== undefined) { cursor = next; focus = {side: 'src', k: 0}; render(); }
  }

  function nextToReview() {
    var position = view.indexOf(cursor);
    for (var step = 1; step <= view.length; step++) {
      var k = view[(position + step + view.length) % view.length];
      if (state.beads[k].review) { cursor = k; render(); return; }
    }
    message('nothing left to review');
  }

  function mark(op, note) {
    var b = bead(), position = view.indexOf(cursor), next = view[position + 1];
    return edit([{op: op, src: b.src, tgt: b.tgt}], next !== undefined ? anchorOf(next) : null, note);
  }

  function merge(other) {
    var k2 = cursor + other;
    if (k2 < 0 || k2 >= state.beads.length) { message('no unit there to merge with', true); return null; }
    var a = state.beads[Math.min(cursor, k2)], b = state.beads[Math.max(cursor, k2)];
    return edit([link(a.src.concat(b.src), a.tgt.concat(b.tgt))], anchorOf(Math.min(cursor, k2)), 'merged');
  }

  function moveSentence(toNext) {
    var side = focusedSide(), b = bead(), k2 = cursor + (toNext ? 1 : -1);
    var other = state.beads[k2];
    if (!other) { message('no unit there to move the sentence to', true); return null; }
    var list = b[side], sentence = toNext ? list[list.length - 1] : list[0];
    var joined = {src: other.src.slice(), tgt: other.tgt.slice()};
    joined[side] = toNext ? [sentence].concat(joined[side]) : joined[side].concat([sentence]);
    var rest = {src: b.src, tgt: b.tgt};
    rest[side] = without(list, sentence);
    var ops = [link(joined.src, joined.tgt)];
    if (rest.src.length || rest.tgt.length) ops.push(link(rest.src, rest.tgt));
    return edit(ops, null, 'moved');
  }

  function unpair() {
    var b = bead();
    if (!b.unit) { message('already unpaired', true); return null; }
    var ops = b.src.map(function (i) { return link([i], []); }).concat(b.tgt.map(function (j) { return link([], [j]); }));
    return edit(ops, null, 'unpaired');
  }

  function pair() {
    var b = bead();
    if (b.unit) { message('pair works on a lone sentence (a 1-0 or 0-1 row)', true); return null; }
    var candidates = [cursor + 1, cursor - 1];
    for (var c = 0; c < candidates.length; c++) {
      var o = state.beads[candidates[c]];
      if (o && !o.unit && !!o.src.length !== !!b.src.length) {
        return edit([link(b.src.concat(o.src), b.tgt.concat(o.tgt))], anchorOf(Math.min(cursor, candidates[c])),
          'paired');
      }
    }
    message('no lone sentence of the other side next to this one', true);
    return null;
  }

  function startSplit() {
    var b = bead();
    if (b.src.length + b.tgt.length < 2) { message('a unit of one sentence cannot be split', true); return; }
    // first guess: the first sentence of each side apart from the rest
    mode = {kind: 'split', a: Math.min(1, b.src.length), b: Math.min(1, b.tgt.length)};
    if (mode.a === b.src.length && mode.b === b.tgt.length) mode.b = 0;
    render();
    message('split: ←/→ source cut, ⇧←/⇧→ target cut, Enter to split, Esc to cancel');
  }

  function splitKey(event) {
    var b = bead();
    if (event.key === 'Escape') { mode = null; render(); message(''); return; }
    if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      var step = event.key === 'ArrowLeft' ? -1 : 1;
      if (event.shiftKey) mode.b = Math.max(0, Math.min(b.tgt.length, mode.b + step));
      else mode.a = Math.max(0, Math.min(b.src.length, mode.a + step));
      render();
      return;
    }
    if (event.key === 'Enter') {
      var a = mode.a, c = mode.b;
      if ((a === 0 && c === 0) || (a === b.src.length && c === b.tgt.length)) {
        message('the cut leaves one part empty: move it first', true);
        return;
      }
      queue(function () {
        return edit([link(b.src.slice(0, a), b.tgt.slice(0, c)), link(b.src.slice(a), b.tgt.slice(c))], null, 'split');
      });
    }
  }

  function codePoints(text) { return Array.from(text).length; }

  function editorKey(event) {
    var area = event.target, side = mode.side, index = mode.index;
    event.stopPropagation();
    if (event.key === 'Escape') { event.preventDefault(); mode = null; render(); return; }
    if (event.key !== 'Enter' || event.shiftKey) return;
    event.preventDefault();
    var value = area.value, text = value.trim(), original = state[side].sentences[index].text;
    if (!text) { message('a sentence cannot be blank', true); return; }
    var ops = text !== original ? [{op: 'edit', side: side, sentence: index, text: text}] : [];
    if (event.ctrlKey || event.metaKey) {
      var lead = value.length - value.replace(/^\s+/, '').length;
      var at = codePoints(value.slice(0, area.selectionStart)) - codePoints(value.slice(0, lead));
      ops.push({op: 'split-sentence', side: side, sentence: index, at: at});
    }
    if (!ops.length) { mode = null; render(); return; }
    queue(function () { return edit(ops, {side: side, index: index}, ops.length > 1 ? 'edited and split' : 'edited'); });
  }

  function startEdit() {
    var sentence = focusedSentence();
    mode = {kind: 'edit', side: sentence.side, index: sentence.index};
    render();
  }

  function join() {
    var sentence = focusedSentence();
    if (sentence.index + 1 >= state[sentence.side].sentences.length) {
      message('the last sentence has none after it to join', true);
      return null;
    }
    return edit([{op: 'join-sentences', side: sentence.side, sentence: sentence.index}], null, 'joined');
  }

  function chooseSentence(step) {
    var b = bead(), all = b.src.map(function (_, k) { return {side: 'src', k: k}; })
      .concat(b.tgt.map(function (_, k) { return {side: 'tgt', k: k}; }));
    var position = all.findIndex(function (x) { return x.side === focus.side && x.k === focus.k; });
    focus = all[Math.max(0, Math.min(all.length - 1, (position < 0 ? 0 : position) + step))];
    render();
  }

  function exportFiles() {
    return request('/api/export', {}).then(function (data) {
      setState(data);
      render();
      message('wrote ' + data.written.join(', '));
    });
  }

  var ORDERS = ['doc', 'review', 'worst'];
  var actions = {
    'c': function () { return mark('confirm', 'confirmed'); },
    'x': function () { return mark('reject', 'rejected'); },
    '0': function () { return mark('clear', 'mark cleared'); },
    'm': function () { return merge(1); },
    'M': function () { return merge(-1); },
    's': startSplit,
    '[': function () { return moveSentence(false); },
    ']': function () { return moveSentence(true); },
    'u': unpair,
    'p': pair,
    'e': startEdit,
    'J': join,
    'z': function () { return send('/api/undo', {}, null, 'undone'); },
    'y': function () { return send('/api/redo', {}, null, 'redone'); },
    't': function () { showOther = !showOther; render(); message(showOther ? 'Serbian shown in the other script' : ''); },
    'w': exportFiles,
    'o': function () { var o = $('order'); o.value = ORDERS[(ORDERS.indexOf(o.value) + 1) % ORDERS.length]; render(); },
    'n': nextToReview,
    'j': function () { move(1); }, 'ArrowDown': function () { move(1); },
    'k': function () { move(-1); }, 'ArrowUp': function () { move(-1); },
    'ArrowRight': function () { chooseSentence(1); }, 'ArrowLeft': function () { chooseSentence(-1); },
    '/': function () { $('search').focus(); },
    'Enter': startEdit
  };

  function keyName(event) {
    if (event.ctrlKey || event.metaKey) {
      var key = event.key.toLowerCase();
      if (key === 'z') return event.shiftKey ? 'y' : 'z';
      if (key === 'y') return 'y';
      return null;
    }
    if (event.altKey) return null;
    if (event.key === 'Z') return 'y';
    return event.key;
  }

  document.addEventListener('keydown', function (event) {
    var target = event.target;
    if (target.tagName === 'TEXTAREA') return;
    if (target.tagName === 'INPUT' || target.tagName === 'SELECT') {
      if (event.key === 'Escape' || (event.key === 'Enter' && target.tagName === 'INPUT')) target.blur();
      return;
    }
    if (!state) return;
    if (mode && mode.kind === 'split') { event.preventDefault(); splitKey(event); return; }
    var name = keyName(event), action = name && actions[name];
    if (!action || (target.tagName === 'BUTTON' && name === 'Enter')) return;
    event.preventDefault();
    queue(function () { return action(); });
  });

  document.querySelectorAll('.toolbar button').forEach(function (button) {
    button.addEventListener('click', function () {
      var action = actions[button.dataset.key];
      button.blur();
      if (state && action && !mode) queue(function () { return action(); });
    });
  });
  ['order', 'show', 'flag', 'search'].forEach(function (id) {
    $(id).addEventListener('input', render);
    $(id).addEventListener('change', render);
  });

  queue(function () {
    return request('/api/state').then(function (data) { setState(data); cursor = 0; render(); });
  });
})();
