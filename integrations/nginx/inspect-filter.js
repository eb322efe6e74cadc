// The content filter nginx runs (njs 0.7.9), around the classifier engine of server/dataclass/.
// Not loaded as it is: inspect-build.mjs prepends the engine (bundled from the repository, as a
// global `MESHWARD_ENGINE`) and the classifier file's path (`MESHWARD_CLASSIFIERS_FILE`), and
// appends `export default MESHWARD_FILTER`. Written in the subset of JavaScript njs 0.7.9 runs:
// no classes, destructuring, default parameters, spread, for…of, Map/Set or optional catch.
//
// njs runs a module's top-level code again for every request, so nothing is kept between
// requests: each handler reads the (small) classifier file when it needs it.
//
// nginx.conf (nginx-conf.mjs) wires it so:
//   location /                  js_content MESHWARD.request      — reads and inspects the request body,
//                                                                  answers 403 (block) or redirects to
//   location @meshward_upstream[_redacted]  proxy_pass, proxy_set_body $meshward_request_body (redacted)
//                               js_header_filter MESHWARD.responseHeaders, js_body_filter MESHWARD.responseBody
// and logs $meshward_request / $meshward_response (the `sensitive` entries), the *_state and
// $meshward_action variables.
var MESHWARD_FILTER = (function (E, FILE) {
  var RANK = { report: 1, redact: 2, block: 3 };
  /** entries per direction in the log line (the console takes 64 per record) */
  var MAX_ENTRIES = 32;

  /** A classifier set (the `content` of a classifiers bundle) ready to run; throws on a bad one. */
  function load(text) {
    var doc = JSON.parse(text);
    if (typeof doc !== 'object' || doc === null) throw new Error('the classifier set is not an object');
    var builtins = doc.builtins || [];
    var defs = doc.custom || [];
    var rules = doc.rules || [];
    if (!Array.isArray(builtins) || !Array.isArray(defs) || !Array.isArray(rules)) throw new Error('builtins, custom and rules must be lists');
    for (var b = 0; b < builtins.length; b++) {
      if (E.BUILTIN_CLASSES.indexOf(builtins[b]) < 0) throw new Error('unknown built-in class ' + JSON.stringify(builtins[b]));
    }
    var max = doc.maxBodyBytes === undefined ? 65536 : doc.maxBodyBytes;
    if (typeof max !== 'number' || !(max >= 0) || Math.floor(max) !== max) throw new Error('maxBodyBytes must be a whole number');
    for (var i = 0; i < rules.length; i++) {
      var r = rules[i];
      if (typeof r !== 'object' || r === null || typeof r['class'] !== 'string' || !RANK[r.action] || ['request', 'response', 'both'].indexOf(r.direction) < 0) {
        throw new Error('rule ' + (i + 1) + ' needs a class, a direction (request, response, both) and an action (report, redact, block)');
      }
      if (r.exceptCallers !== undefined && !Array.isArray(r.exceptCallers)) throw new Error('rule ' + (i + 1) + ': exceptCallers must be a list');
    }
    var custom = E.compileCustomClasses(defs);
    return {
      revision: doc.revision === undefined ? null : doc.revision,
      active: builtins.length + custom.length > 0 && max > 0,
      builtins: builtins, custom: custom, rules: rules, maxBodyBytes: max,
    };
  }

  function current() {
    var text;
    try {
      text = require('fs').readFileSync(FILE, 'utf8');
    } catch (e) {
      return { revision: null, active: false, rules: [], problem: 'cannot read ' + FILE + ': ' + e.message };
    }
    try {
      return load(text);
    } catch (e) {
      // the agent validates a set before writing it: this is a hand edit; inspect nothing
      return { revision: null, active: false, rules: [], problem: String(e.message) };
    }
  }

  /** The strongest action per class for this direction and caller: { redact: [...], block: [...] }. */
  function actions(set, direction, caller) {
    var best = {};
    for (var i = 0; i < set.rules.length; i++) {
      var r = set.rules[i];
      if (r.direction !== direction && r.direction !== 'both') continue;
      if (r.exceptCallers && r.exceptCallers.indexOf(caller) >= 0) continue;
      if ((RANK[r.action] || 0) > (RANK[best[r['class']]] || 0)) best[r['class']] = r.action;
    }
    var out = { redact: [], block: [] };
    var names = Object.keys(best);
    for (var k = 0; k < names.length; k++) {
      if (best[names[k]] === 'redact') out.redact.push(names[k]);
      if (best[names[k]] === 'block') out.block.push(names[k]);
    }
    return out;
  }

  function scanOptions(set, direction, contentType) {
    return { direction: direction, contentType: contentType || null, builtins: set.builtins, custom: set.custom, maxScanChars: set.maxBodyBytes };
  }

  /** The scan result as the `sensitive` entries the console ingests: class, direction, count, path, redacted sample. */
  function entries(result) {
    var out = [];
    for (var i = 0; i < result.classes.length && out.length < MAX_ENTRIES; i++) {
      var c = result.classes[i];
      for (var p = 0; p < c.paths.length && out.length < MAX_ENTRIES; p++) {
        var e = { 'class': c['class'], direction: c.direction, count: c.paths[p].count };
        if (c.paths[p].path !== null) e.path = c.paths[p].path.slice(0, 512);
        if (c.sample) e.partial = c.sample.slice(0, 64);
        out.push(e);
      }
      if (c.otherPathsCount > 0 && out.length < MAX_ENTRIES) out.push({ 'class': c['class'], direction: c.direction, count: c.otherPathsCount });
    }
    return out;
  }

  /** Which of `wanted` the scan found. */
  function found(result, wanted) {
    var out = [];
    for (var i = 0; i < result.classes.length; i++) {
      if (wanted.indexOf(result.classes[i]['class']) >= 0 && result.classes[i].count > 0) out.push(result.classes[i]['class']);
    }
    return out;
  }

  function act(r, what) {
    var was = r.variables.meshward_action;
    r.variables.meshward_action = was ? was + ',' + what : what;
  }

  /** The caller as rules name it: `ns/name`; a SPIFFE id (`spiffe://td/ns/shop/sa/billing`) is read as `shop/billing`. */
  function caller(r) {
    var c = r.headersIn['X-Meshward-Caller'];
    if (!c) return 'external';
    c = String(c);
    var m = /^spiffe:\/\/[^\/]+\/ns\/([^\/]+)\/sa\/([^\/]+)$/.exec(c);
    return m ? m[1] + '/' + m[2] : c;
  }

  /** Media nobody writes card numbers into as text: not read (state `binary`). */
  var BINARY = /^\s*(?:image|audio|video|font)\/|^\s*application\/(?:octet-stream|zip|gzip|x-gzip|pdf|wasm|x-protobuf|protobuf|grpc)\b/i;

  function binary(contentType) {
    return contentType !== undefined && contentType !== null && BINARY.test(String(contentType));
  }

  function encoded(value) {
    return value !== undefined && value !== null && value !== '' && String(value).toLowerCase() !== 'identity';
  }

  // ---- request: js_content, then an internal redirect to the proxying location ----------------

  function request(r) {
    var done = false;
    try {
      done = inspectRequest(r);
    } catch (e) {
      // never a 500 for the filter's sake: the request goes on uninspected, and the log says so
      r.variables.meshward_request_state = 'error';
      r.warn('meshward content filter: ' + e.message);
    }
    if (!done) r.internalRedirect('@meshward_upstream');
  }

  /** True when it answered or redirected; false: proxy as it is. */
  function inspectRequest(r) {
    var set = current();
    var v = r.variables;
    v.meshward_classifier_revision = set.revision === null ? '' : String(set.revision);
    if (!set.active) {
      v.meshward_request_state = set.problem ? 'error' : 'off';
      // readable by nginx's worker user? (the agent writes it; nginx's workers read it)
      if (set.problem) r.warn('meshward content filter: inspecting nothing: ' + set.problem);
      return false;
    }
    var who = caller(r);
    var req = actions(set, 'request', who);
    var res = actions(set, 'response', who);
    v.meshward_plan = JSON.stringify(res);
    var text;
    var state = 'scanned';
    var length = Number(r.headersIn['Content-Length'] || 0);
    if (encoded(r.headersIn['Content-Encoding'])) state = 'encoded';
    // the client names the type: with a rule to enforce on requests, it is read whatever it says
    else if (binary(r.headersIn['Content-Type']) && req.block.length + req.redact.length === 0) state = 'binary';
    else if (length > set.maxBodyBytes) state = 'oversize';
    else {
      try {
        text = r.requestText;
      } catch (e) {
        // larger than client_body_buffer_size: nginx wrote it to a file
        state = 'oversize';
      }
      if (state === 'scanned' && (text === undefined || text === '')) state = 'empty';
      else if (state === 'scanned' && text.length > set.maxBodyBytes) state = 'oversize';
    }
    v.meshward_request_state = state;
    if (state !== 'scanned') {
      return false;
    }
    var contentType = r.headersIn['Content-Type'];
    var result;
    try {
      result = E.classify(text, scanOptions(set, 'request', contentType));
    } catch (e) {
      v.meshward_request_state = 'error';
      return false;
    }
    var list = entries(result);
    if (list.length) v.meshward_request = JSON.stringify(list);
    var block = found(result, req.block);
    if (block.length) {
      act(r, 'blocked_request');
      r.headersOut['Content-Type'] = 'application/json';
      r.return(403, JSON.stringify({ error: 'The request carries data this service may not receive (' + block.join(', ') + '): blocked by the Meshward content filter' }) + '\n');
      return true;
    }
    var redact = found(result, req.redact);
    if (redact.length) {
      var opts = scanOptions(set, 'request', contentType);
      opts.redactClasses = redact;
      opts.maxScanChars = text.length + 1;
      v.meshward_request_body = E.redactBody(text, opts).body;
      act(r, 'redacted_request');
      r.internalRedirect('@meshward_upstream_redacted');
      return true;
    }
    return false;
  }

  // ---- response: header filter decides, body filter scans (streaming) or buffers (redact/block) -

  var mode = 'off';
  var set = null;
  var plan = null;
  var scanner = null;
  var chunks = [];
  var size = 0;
  var contentType = null;

  function responseHeaders(r) {
    try {
      planResponse(r);
    } catch (e) {
      mode = 'off';
      r.variables.meshward_response_state = 'error';
      r.warn('meshward content filter: ' + e.message);
    }
  }

  function planResponse(r) {
    var p = r.variables.meshward_plan;
    if (!p) return;
    set = current();
    if (!set.active) return;
    plan = JSON.parse(p);
    var length = r.headersOut['Content-Length'];
    if (encoded(r.headersOut['Content-Encoding'])) {
      r.variables.meshward_response_state = 'encoded';
      return;
    }
    if (length !== undefined && Number(length) > set.maxBodyBytes) {
      r.variables.meshward_response_state = 'oversize';
      return;
    }
    contentType = r.headersOut['Content-Type'] || null;
    if (binary(contentType)) {
      r.variables.meshward_response_state = 'binary';
      return;
    }
    if (plan.redact.length + plan.block.length > 0) {
      // the body may change: its length is not known before it has been read
      mode = 'buffer';
      delete r.headersOut['Content-Length'];
    } else {
      mode = 'stream';
      scanner = E.createScanner(scanOptions(set, 'response', contentType));
    }
  }

  function finish(r, result, state) {
    var list = entries(result);
    if (list.length) r.variables.meshward_response = JSON.stringify(list);
    r.variables.meshward_response_state = state;
  }

  function responseBody(r, data, flags) {
    var last = { last: flags.last };
    if (mode === 'off') {
      r.sendBuffer(data, last);
      return;
    }
    if (mode === 'stream') {
      // pass it on at once, scan what passed
      r.sendBuffer(data, last);
      try {
        size += data.length;
        if (data.length && size <= set.maxBodyBytes) scanner.write(data.toString());
        if (flags.last) {
          mode = 'off';
          finish(r, scanner.end(), size > set.maxBodyBytes ? 'oversize' : 'scanned');
        }
      } catch (e) {
        mode = 'off';
        r.variables.meshward_response_state = 'error';
        r.warn('meshward content filter: ' + e.message);
      }
      return;
    }
    // buffer: hold the body (up to maxBodyBytes) until its end, then send it as it is, redacted, or replaced
    chunks.push(data);
    size += data.length;
    if (size > set.maxBodyBytes) {
      mode = 'off';
      r.variables.meshward_response_state = 'oversize';
      r.sendBuffer(Buffer.concat(chunks), last);
      chunks = [];
      return;
    }
    if (!flags.last) return;
    mode = 'off';
    var out;
    try {
      out = heldBody(r, Buffer.concat(chunks));
    } catch (e) {
      // a redact or block rule applies to this caller: an engine failure withholds the body
      r.variables.meshward_response_state = 'error';
      r.warn('meshward content filter: ' + e.message);
      out = JSON.stringify({ error: 'The response could not be inspected: withheld by the Meshward content filter' }) + '\n';
    }
    chunks = [];
    r.sendBuffer(out, last);
  }

  /** The held-back response as it goes out: as it came, with matches masked, or replaced (block). */
  function heldBody(r, raw) {
    var text = raw.toString();
    var result = E.classify(text, scanOptions(set, 'response', contentType));
    finish(r, result, 'scanned');
    var block = found(result, plan.block);
    if (block.length) {
      // the status line has gone out already: the body is replaced, the status stays
      act(r, 'blocked_response');
      return JSON.stringify({ error: 'The response carried data this caller may not receive (' + block.join(', ') + '): withheld by the Meshward content filter' }) + '\n';
    }
    var redact = found(result, plan.redact);
    if (!redact.length) return raw;
    var opts = scanOptions(set, 'response', contentType);
    opts.redactClasses = redact;
    opts.maxScanChars = text.length + 1;
    act(r, 'redacted_response');
    return E.redactBody(text, opts).body;
  }

  return { load: load, actions: actions, entries: entries, request: request, responseHeaders: responseHeaders, responseBody: responseBody };
})(MESHWARD_ENGINE, MESHWARD_CLASSIFIERS_FILE);
