/* The review page: add images or PDFs, analyse them, review the regions, redact with the approved boxes, download.
   Plain JavaScript, no build step; it talks only to the public API of this service with the user's key. */
(function () {
  'use strict';

  const KEY_STORAGE = 'redactor.apiKey'; // sessionStorage only: gone when the tab is closed
  const CONCURRENCY = 2; // files processed at once
  const MAX_RETRIES = 3; // for rate_limited, overloaded, not_ready
  const MAX_WAIT_SECONDS = 60;
  const MIN_DRAWN_PIXELS = 4;
  const RETRYABLE = new Set(['rate_limited', 'overloaded', 'not_ready']);
  // Form fields the page handles itself; any other field of analyze-image found in /openapi.json is
  // offered under "More options" (so new options such as visual detection appear without a page change).
  const HANDLED_FIELDS = new Set([
    'image', 'language', 'score_threshold', 'entities', 'allow_list', 'deny_list', 'fill_color',
    'anonymize_text', 'verify', 'boxes',
  ]);
  const COMMON_ENTITIES = {
    PERSON: 'Name',
    EMAIL_ADDRESS: 'E-mail address',
    PHONE_NUMBER: 'Phone number',
    LOCATION: 'Place or address',
    DATE_TIME: 'Date or time',
    DATE_OF_BIRTH: 'Date of birth',
    AGE: 'Age',
    ID_NUMBER: 'ID number',
    CREDIT_CARD: 'Card number',
    IBAN_CODE: 'IBAN',
    ABA_ROUTING_NUMBER: 'ABA routing number',
    CRYPTO: 'Crypto wallet',
    IP_ADDRESS: 'IP address',
    MAC_ADDRESS: 'MAC address',
    URL: 'Web address',
    DOMAIN_NAME: 'Domain name',
    NRP: 'Nationality, religion, politics',
    MEDICAL_LICENSE: 'Medical licence',
    UUID: 'UUID',
  };
  const COUNTRIES = {
    AU: 'Australia', CA: 'Canada', DE: 'Germany', ES: 'Spain', FI: 'Finland', IN: 'India', IT: 'Italy',
    KR: 'South Korea', NG: 'Nigeria', PH: 'Philippines', PL: 'Poland', SE: 'Sweden', SG: 'Singapore',
    TH: 'Thailand', TR: 'Türkiye', UK: 'United Kingdom', US: 'United States', ZA: 'South Africa',
  };
  const ACRONYMS = new Set([
    'ID', 'SSN', 'ITIN', 'MBI', 'NPI', 'NHS', 'NINO', 'ABN', 'ACN', 'TFN', 'SIN', 'BSNR', 'LANR', 'PLZ', 'VAT',
    'NIE', 'NIF', 'PAN', 'GSTIN', 'BRN', 'FRN', 'RRN', 'NIN', 'TIN', 'UMID', 'PESEL', 'NRIC', 'FIN', 'UEN', 'TNIN',
    'KFZ', 'IBAN', 'IP', 'URL', 'MAC', 'UUID',
  ]);
  const LANGUAGE_NAMES = typeof Intl !== 'undefined' && Intl.DisplayNames
    ? new Intl.DisplayNames(['en'], { type: 'language' }) : null;

  const state = {
    key: null,
    usage: null,
    remaining: null,
    entityTypes: [],
    defaultEntities: [],
    extraFields: [],
    files: [],
    nextId: 1,
    active: 0,
  };

  // ------------------------------------------------------------------ small helpers

  const $ = (selector, root = document) => root.querySelector(selector);

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === 'class') el.className = value;
      else if (name === 'text') el.textContent = value;
      else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
      else el.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child !== null && child !== undefined && child !== false) el.append(child);
    }
    return el;
  }

  const number = (n) => Number(n).toLocaleString('en');

  function bytes(n) {
    if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)} MB`;
    if (n >= 1e3) return `${Math.round(n / 1e3)} KB`;
    return `${n} bytes`;
  }

  function duration(seconds) {
    if (seconds >= 2 * 86400) return `${Math.round(seconds / 86400)} days`;
    if (seconds >= 2 * 3600) return `${Math.round(seconds / 3600)} hours`;
    if (seconds >= 120) return `${Math.round(seconds / 60)} minutes`;
    return `${seconds} seconds`;
  }

  function humanize(code) {
    return code.split('_').map((word, i) => {
      if (ACRONYMS.has(word)) return word;
      const lower = word.toLowerCase();
      return i === 0 ? lower.charAt(0).toUpperCase() + lower.slice(1) : lower;
    }).join(' ');
  }

  function countryOf(type) {
    const prefix = type.slice(0, 2);
    return type.charAt(2) === '_' && COUNTRIES[prefix] ? prefix : null;
  }

  // Visual classes get their own region types: PERSON there is a whole body, not a name.
  const VISUAL_TYPES = { FACE: 'VISUAL_FACE', PERSON: 'VISUAL_PERSON', LICENSE_PLATE: 'VISUAL_LICENSE_PLATE' };
  const VISUAL_LABELS = { VISUAL_FACE: 'Face', VISUAL_PERSON: 'Person (whole body)', VISUAL_LICENSE_PLATE: 'Licence plate' };

  function entityLabel(type) {
    if (type === 'MANUAL') return 'Added by you';
    if (VISUAL_LABELS[type]) return VISUAL_LABELS[type];
    if (COMMON_ENTITIES[type]) return COMMON_ENTITIES[type];
    const country = countryOf(type);
    return country ? `${country} ${humanize(type.slice(3))}` : humanize(type);
  }

  let announceTimer = null;
  function announce(message) {
    const status = $('#status');
    status.textContent = '';
    clearTimeout(announceTimer);
    announceTimer = setTimeout(() => { status.textContent = message; }, 50);
  }

  function sleep(ms, signal) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, ms);
      if (signal) {
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new DOMException('Aborted', 'AbortError'));
        }, { once: true });
      }
    });
  }

  // ------------------------------------------------------------------ the API

  class ApiError extends Error {
    constructor(status, problem, headers) {
      super((problem && problem.detail) || `HTTP ${status}`);
      this.status = status;
      this.code = (problem && problem.code) || (status ? `http_${status}` : 'network');
      this.detail = (problem && problem.detail) || '';
      this.requestId = (problem && problem.request_id) || (headers && headers('X-Request-ID')) || null;
      this.errors = (problem && problem.errors) || null;
      const retry = headers ? parseInt(headers('Retry-After') || '', 10) : NaN;
      this.retryAfter = Number.isFinite(retry) ? retry : null;
    }
  }

  /* One request with XMLHttpRequest (for upload progress). Resolves with the XHR whatever its status. */
  function send(method, path, { form, key, onUpload, onUploaded, signal } = {}) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open(method, path);
      xhr.responseType = 'blob';
      if (key) xhr.setRequestHeader('X-API-Key', key);
      if (form) {
        xhr.upload.onprogress = (e) => { if (e.lengthComputable && onUpload) onUpload(e.loaded / e.total); };
        xhr.upload.onload = () => { if (onUploaded) onUploaded(); };
      }
      xhr.onload = () => resolve(xhr);
      xhr.onerror = () => reject(new ApiError(0, null, null));
      xhr.onabort = () => reject(new DOMException('Aborted', 'AbortError'));
      if (signal) {
        if (signal.aborted) { reject(new DOMException('Aborted', 'AbortError')); return; }
        signal.addEventListener('abort', () => xhr.abort(), { once: true });
      }
      xhr.send(form || null);
    });
  }

  /* A call with retries of the answers that say "try again shortly"; throws ApiError otherwise. */
  async function call(method, path, options = {}) {
    for (let attempt = 0; ; attempt++) {
      const form = options.makeForm ? options.makeForm() : undefined;
      const xhr = await send(method, path, { ...options, form });
      const header = (name) => xhr.getResponseHeader(name);
      if (xhr.status >= 200 && xhr.status < 300) return { status: xhr.status, body: xhr.response, header };
      let problem = null;
      try {
        problem = JSON.parse(await xhr.response.text());
      } catch (e) {
        problem = null;
      }
      const error = new ApiError(xhr.status, problem, header);
      if (RETRYABLE.has(error.code) && attempt < MAX_RETRIES) {
        const wait = Math.min(MAX_WAIT_SECONDS, Math.max(1, error.retryAfter || 2 ** attempt));
        if (options.onWait) options.onWait(wait, error);
        await sleep(wait * 1000, options.signal);
        continue;
      }
      throw error;
    }
  }

  async function json(response) {
    return JSON.parse(await response.body.text());
  }

  /* What to tell the user about an error, by its stable code. */
  function explain(error) {
    const detail = error.detail ? ` ${error.detail}` : '';
    switch (error.code) {
      case 'network':
        return 'Could not reach the service. Check your connection, then try again.';
      case 'unauthorized':
        return 'Your API key was not accepted: it is missing, unknown or revoked. Enter a valid key in step 1, then try again.';
      case 'forbidden':
        return `Your plan does not include this.${detail} Ask for a plan with image redaction.`;
      case 'file_too_large':
        return `This file is too large for your plan.${detail}`;
      case 'image_too_large':
        return `This file has too many pixels or pages for your plan.${detail}`;
      case 'unsupported_format':
        return 'This file is not an image or PDF the service can read. Use JPEG, PNG, TIFF, BMP, WebP, GIF or PDF.';
      case 'unsupported_media_type':
        return `The service refused the upload.${detail}`;
      case 'invalid_input':
        return `The file is empty, truncated or corrupt.${detail}`;
      case 'invalid_option':
        return `An option was not accepted.${detail}`;
      case 'invalid_request': {
        const fields = (error.errors || []).map((e) => `${e.loc.filter((p) => p !== 'body').join('.')}: ${e.msg}`);
        return `The request was not accepted.${detail}${fields.length ? ` (${fields.join('; ')})` : ''}`;
      }
      case 'quota_exceeded': {
        const renew = error.retryAfter ? ` It renews in ${duration(error.retryAfter)}.` : '';
        return `Your token allowance for this month is used up, so this file was not processed and nothing was charged.${renew}`;
      }
      case 'rate_limited':
        return 'Too many requests per minute for your plan, even after waiting. Wait a minute, then try again.';
      case 'overloaded':
        return 'The service is busy, even after waiting. Try again in a few minutes.';
      case 'not_ready':
        return 'The service is still starting. Try again in a minute.';
      case 'ocr_timeout':
        return 'Reading this file took too long, so nothing was redacted or charged. Try a smaller or clearer scan, or fewer pages.';
      case 'ocr_failed':
        return 'The text of a page could not be read, so nothing was redacted or charged.';
      case 'not_found':
      case 'method_not_allowed':
        return 'This service does not offer what the page asked for (is it an older version?).';
      default:
        return `The service could not process this file (${error.code}).${detail}`;
    }
  }

  function errorBlock(error) {
    return [
      h('strong', { class: 'error-title', text: 'Problem: ' }),
      h('span', { class: 'error-text', text: explain(error) }),
      error.requestId ? h('small', { class: 'request-id', text: ` Reference: ${error.requestId}.` }) : null,
    ].filter(Boolean);
  }

  // ------------------------------------------------------------------ key and account

  function setKeyMessage(text, kind) {
    const message = $('#key-message');
    message.textContent = text || '';
    message.className = `message ${kind || ''}`;
  }

  function tokensFrom(response) {
    const remaining = response.header('X-Tokens-Remaining');
    if (remaining !== null && remaining !== '') {
      state.remaining = parseInt(remaining, 10);
      renderAccount();
    }
    const charged = response.header('X-Tokens-Charged');
    return charged === null ? null : parseInt(charged, 10);
  }

  function renderAccount() {
    const account = $('#account');
    const usage = state.usage;
    if (!state.key || !usage) {
      account.hidden = true;
      account.replaceChildren();
      return;
    }
    const plan = usage.plan;
    account.hidden = false;
    account.replaceChildren(
      h('span', { text: 'Account ' }), h('strong', { text: usage.account }),
      h('span', { text: ' · plan ' }), h('strong', { text: plan.title }),
      h('span', { text: ' · ' }),
      h('strong', { id: 'tokens-remaining', 'data-remaining': state.remaining, text: number(state.remaining) }),
      h('span', { text: ` of ${number(usage.allowance)} tokens left this month · files up to ${bytes(plan.max_file_bytes)}` }),
      plan.image_redaction ? '' : h('span', { class: 'warn', text: ' · this plan can analyse but not redact images' }),
    );
  }

  async function useKey(key, { quiet } = {}) {
    key = key.trim();
    if (!key) {
      setKeyMessage('Enter your API key first.', 'error');
      $('#api-key').focus();
      return false;
    }
    setKeyMessage('Checking the key…', '');
    try {
      const usage = await json(await call('GET', '/v1/usage', { key }));
      state.key = key;
      state.usage = usage;
      state.remaining = usage.remaining;
      sessionStorage.setItem(KEY_STORAGE, key);
      $('#api-key').value = '';
      $('#api-key').placeholder = 'Key in use (enter another to change it)';
      $('#forget-key').hidden = false;
      setKeyMessage(quiet ? '' : 'Key accepted.', 'ok');
      renderAccount();
      for (const item of state.files) if (item.status === 'queued') updateCard(item);
      schedule();
      return true;
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      if (error.code === 'unauthorized') sessionStorage.removeItem(KEY_STORAGE);
      const kept = state.key ? ' The previous key stays in use.' : '';
      setKeyMessage(explain(error).replace(' Enter a valid key in step 1, then try again.', '') + kept, 'error');
      return false;
    }
  }

  function forgetKey() {
    sessionStorage.removeItem(KEY_STORAGE);
    state.key = null;
    state.usage = null;
    state.remaining = null;
    $('#api-key').placeholder = 'rdk_…';
    $('#forget-key').hidden = true;
    renderAccount();
    setKeyMessage('Key forgotten.', 'ok');
    $('#api-key').focus();
  }

  // ------------------------------------------------------------------ options

  async function loadCatalogue() {
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        const info = await json(await call('GET', '/v1/entities'));
        renderEntityOptions(info.entities, info.default_entities || info.entities);
        renderLanguages(info.languages);
        return;
      } catch (error) {
        $('#entity-list').replaceChildren(h('p', { class: 'help', text: `Waiting for the service… (${explain(error)})` }));
        await sleep(3000);
      }
    }
  }

  function entityCheckbox(type) {
    const id = `entity-${type}`;
    return h('div', { class: 'check' },
      h('input', { type: 'checkbox', id, value: type, checked: state.defaultEntities.includes(type), 'data-entity': type }),
      h('label', { for: id, title: type, text: entityLabel(type) }));
  }

  /* Every type can be chosen; the service's default set is ticked at first (and then nothing need be sent). */
  function renderEntityOptions(types, defaults) {
    state.entityTypes = types;
    state.defaultEntities = defaults;
    const common = types.filter((t) => !countryOf(t));
    const byCountry = {};
    for (const type of types.filter(countryOf)) (byCountry[countryOf(type)] = byCountry[countryOf(type)] || []).push(type);
    common.sort((a, b) => {
      const order = Object.keys(COMMON_ENTITIES);
      const ia = order.indexOf(a) < 0 ? 99 : order.indexOf(a);
      const ib = order.indexOf(b) < 0 ? 99 : order.indexOf(b);
      return ia - ib || a.localeCompare(b);
    });
    const countries = Object.keys(byCountry).sort((a, b) => COUNTRIES[a].localeCompare(COUNTRIES[b]));
    $('#entity-list').replaceChildren(
      h('div', { class: 'check-grid' }, common.map(entityCheckbox)),
      countries.length ? h('details', { class: 'countries' },
        h('summary', {}, 'Country-specific numbers ', h('span', { class: 'count', id: 'country-count' })),
        countries.map((code) => h('fieldset', { class: 'country' },
          h('legend', { text: COUNTRIES[code] }),
          h('div', { class: 'check-grid' }, byCountry[code].map(entityCheckbox))))) : null,
      h('p', { class: 'help', id: 'entity-summary', 'aria-live': 'polite' }),
    );
    updateEntitySummary();
  }

  function isDefaultSelection() {
    const chosen = selectedEntities();
    return chosen.length === state.defaultEntities.length && chosen.every((t) => state.defaultEntities.includes(t));
  }

  function selectedEntities() {
    return [...document.querySelectorAll('#entity-list input[type=checkbox]:checked')].map((el) => el.value);
  }

  function updateEntitySummary() {
    const summary = $('#entity-summary');
    if (!summary) return;
    const chosen = selectedEntities().length;
    const total = state.entityTypes.length;
    const standard = isDefaultSelection();
    summary.textContent = standard ? `The ${chosen} standard types are looked for (country-specific numbers on request).`
      : chosen === 0 ? 'None selected: choose at least one type.' : `${chosen} of ${total} types are looked for.`;
    $('#entity-short').textContent = standard ? `the ${chosen} standard types` : chosen === 0 ? 'none (choose at least one)'
      : `${chosen} of ${total} types`;
    const countryBoxes = [...document.querySelectorAll('#entity-list .country input[type=checkbox]')];
    const countryCount = $('#country-count');
    if (countryCount) countryCount.textContent = `(${countryBoxes.filter((el) => el.checked).length} of ${countryBoxes.length} selected)`;
  }

  function renderLanguages(languages) {
    const select = $('#language');
    const current = select.value || 'en';
    const options = languages.map((lang) => {
      let name = lang.code;
      try { name = (LANGUAGE_NAMES && LANGUAGE_NAMES.of(lang.code)) || lang.code; } catch (e) { /* unknown code */ }
      return { code: lang.code, label: `${name} (${lang.code})` };
    }).sort((a, b) => a.label.localeCompare(b.label));
    if (!options.some((o) => o.code === current)) options.unshift({ code: current, label: current });
    select.replaceChildren(...options.map((o) => h('option', { value: o.code, selected: o.code === current, text: o.label })));
  }

  /* Options of the API the page does not handle itself, read from /openapi.json: detection options of
     analyze-image (sent when analysing) and redaction-only options of redact-image (sent when redacting). */
  async function loadExtraOptions() {
    const formOf = (schema, path) => {
      try {
        return schema.paths[path].post.requestBody.content['multipart/form-data'].schema.properties || {};
      } catch (e) {
        return {};
      }
    };
    try {
      const schema = await json(await call('GET', '/openapi.json'));
      const analyse = formOf(schema, '/v1/analyze-image');
      const redactOnly = formOf(schema, '/v1/redact-image');
      state.extraFields = [
        ...Object.entries(analyse).map(([name, prop]) => ({ name, endpoint: 'analyse', ...prop })),
        ...Object.entries(redactOnly).filter(([name]) => !(name in analyse))
          .map(([name, prop]) => ({ name, endpoint: 'redact', ...prop })),
      ].filter((field) => !HANDLED_FIELDS.has(field.name));
    } catch (e) {
      state.extraFields = [];
    }
    $('#extra-options').replaceChildren(...state.extraFields.map(extraField).filter(Boolean));
  }

  function extraField(field) {
    const id = `extra-${field.name}`;
    const help = (field.description || '').replace(/`/g, '');
    const label = humanize(field.name.toUpperCase()) + (field.endpoint === 'redact' ? ' (when redacting)' : '');
    const helpLine = help ? h('p', { class: 'help', id: `${id}-help`, text: help }) : null;
    const described = help ? `${id}-help` : null;
    if (field.type === 'boolean') {
      return h('div', { class: 'extra' },
        h('div', { class: 'check' },
          h('input', { type: 'checkbox', id, 'data-field': field.name, checked: field.default === true, 'aria-describedby': described }),
          h('label', { for: id, text: label })),
        helpLine);
    }
    if (field.type === 'array' && field.items && Array.isArray(field.items.enum)) {
      const chosen = new Set(field.default || []);
      return h('fieldset', { class: 'extra', id, 'data-field': field.name, 'aria-describedby': described },
        h('legend', { text: label }),
        h('div', { class: 'check-grid' }, field.items.enum.map((value) => {
          const boxId = `${id}-${value}`;
          return h('div', { class: 'check' },
            h('input', { type: 'checkbox', id: boxId, value, checked: chosen.has(value) }),
            h('label', { for: boxId, text: humanize(String(value).toUpperCase()) }));
        })),
        helpLine);
    }
    if (Array.isArray(field.enum)) {
      return h('div', { class: 'field extra' }, h('label', { for: id, text: label }),
        h('select', { id, 'data-field': field.name, 'aria-describedby': described },
          field.enum.map((v) => h('option', { value: v, selected: v === field.default, text: String(v) }))),
        helpLine);
    }
    if (field.type === 'number' || field.type === 'integer' || field.type === 'string') {
      return h('div', { class: 'field extra' }, h('label', { for: id, text: label }),
        h('input', {
          id, 'data-field': field.name, type: field.type === 'string' ? 'text' : 'number', 'aria-describedby': described,
          value: field.default === undefined || field.default === null ? '' : field.default,
          min: field.minimum, max: field.maximum, step: field.type === 'integer' ? 1 : 'any',
        }),
        helpLine);
    }
    return null;
  }

  /* The extra options of one endpoint as form fields; only those changed from their default are sent. */
  function extraOptions(endpoint) {
    const fields = [];
    for (const field of state.extraFields.filter((f) => f.endpoint === endpoint)) {
      const el = document.getElementById(`extra-${field.name}`);
      if (!el) continue;
      if (field.type === 'boolean') {
        if (el.checked !== (field.default === true)) fields.push([field.name, el.checked ? 'true' : 'false']);
      } else if (field.type === 'array') {
        const values = [...el.querySelectorAll('input:checked')].map((box) => box.value);
        const defaults = (field.default || []).map(String);
        if (values.join(',') !== defaults.join(',')) for (const value of values) fields.push([field.name, value]);
      } else if (el.value !== '' && String(el.value) !== String(field.default)) {
        fields.push([field.name, el.value]);
      }
    }
    return fields;
  }

  /* "EMAIL_ADDRESS=blue, PERSON=#000000" as {EMAIL_ADDRESS: "blue", PERSON: "#000000"}; the service checks them. */
  function typeColours() {
    const mapping = {};
    for (const part of ($('#type-colours').value || '').split(',')) {
      const [type, colour] = part.split('=').map((text) => (text || '').trim());
      if (type && colour) mapping[type.toUpperCase()] = colour;
    }
    return mapping;
  }

  function fillColor() {
    const choice = $('#fill').value;
    return choice === 'custom' ? $('#fill-custom').value : choice;
  }

  const CSS_COLOURS = { black: '#000000', white: '#ffffff', red: '#ff0000', blue: '#0000ff', green: '#008000', yellow: '#ffff00' };
  function cssColour(fill) {
    return CSS_COLOURS[fill] || fill;
  }

  /* The detection options as form fields, read now (each file keeps the options it was analysed with). */
  function detectionOptions() {
    const fields = [];
    const chosen = selectedEntities();
    if (state.entityTypes.length && chosen.length === 0) {
      throw new Error('Choose at least one type of personal data to look for (step 2).');
    }
    if (chosen.length && !isDefaultSelection()) fields.push(['entities', chosen.join(',')]);
    fields.push(['language', $('#language').value || 'en']);
    fields.push(['score_threshold', String(Number($('#threshold').value))]);
    const byType = typeColours();
    // With colours by type, the analysis says each region's colour and the page paints it so.
    if (Object.keys(byType).length) fields.push(['fill_color', JSON.stringify({ ...byType, default: fillColor() })]);
    for (const [id, name] of [['#allow-list', 'allow_list'], ['#deny-list', 'deny_list']]) {
      for (const line of $(id).value.split('\n')) if (line.trim()) fields.push([name, line.trim()]);
    }
    fields.push(...extraOptions('analyse'));
    return fields;
  }

  // ------------------------------------------------------------------ files

  /* By type or name; the analysis confirms it (only a PDF has a rendering `dpi`). */
  function looksLikePdf(file) {
    return file.type === 'application/pdf' || /\.pdf$/i.test(file.name || '');
  }

  function addFiles(fileList) {
    const added = [];
    for (const file of fileList) {
      const pdf = looksLikePdf(file);
      const item = {
        id: `f${state.nextId++}`,
        file,
        name: file.name || (pdf ? 'document.pdf' : 'image'),
        isPdf: pdf,
        viewPage: 1, // the page outlined when there is no preview
        status: 'queued',
        pending: 'analyse',
        phase: '',
        progress: null,
        error: null,
        analysis: null,
        regions: [],
        nextRegion: 1,
        nextNumber: 1,
        previewUrl: pdf ? null : URL.createObjectURL(file), // an <img> cannot show a PDF
        previewOk: null,
        result: null,
        tokens: { analyse: null, redact: null },
        drawMode: false,
        controller: null,
        el: {},
      };
      state.files.push(item);
      buildCard(item);
      added.push(item);
    }
    if (!added.length) return;
    $('#bulk-actions').hidden = false;
    announce(`${added.length} file${added.length > 1 ? 's' : ''} added.`);
    if (!state.key) {
      setKeyMessage('Enter your API key to analyse the files.', 'error');
      $('#api-key').focus();
    }
    schedule();
    updateBulk();
  }

  function schedule() {
    if (!state.key) return;
    while (state.active < CONCURRENCY) {
      const item = state.files.find((f) => f.pending);
      if (!item) return;
      const job = item.pending;
      item.pending = null;
      state.active++;
      (job === 'analyse' ? analyse(item) : redact(item)).finally(() => {
        state.active--;
        schedule();
      });
    }
  }

  function planLimitError(item) {
    const plan = state.usage && state.usage.plan;
    if (item.file.size === 0) return new ApiError(422, { code: 'invalid_input', detail: 'The file is empty.' });
    if (plan && item.file.size > plan.max_file_bytes) {
      return new ApiError(413, {
        code: 'file_too_large',
        detail: `It is ${bytes(item.file.size)}; plan '${plan.title}' accepts files up to ${bytes(plan.max_file_bytes)}.`,
      });
    }
    return null;
  }

  async function analyse(item) {
    item.error = null;
    let fields;
    try {
      fields = detectionOptions();
    } catch (e) {
      item.status = item.analysis ? 'review' : 'failed';
      item.error = new ApiError(422, { code: 'invalid_option', detail: e.message });
      updateCard(item);
      return;
    }
    const tooLarge = planLimitError(item);
    if (tooLarge) {
      item.status = 'failed';
      item.error = tooLarge;
      updateCard(item);
      return;
    }
    item.status = 'analysing';
    item.phase = 'Uploading…';
    item.progress = 0;
    item.controller = new AbortController();
    updateCard(item);
    try {
      const response = await call('POST', '/v1/analyze-image', {
        key: state.key,
        signal: item.controller.signal,
        makeForm: () => {
          const form = new FormData();
          form.append('image', item.file, item.name);
          for (const [name, value] of fields) form.append(name, value);
          return form;
        },
        onUpload: (share) => setPhase(item, `Uploading… ${Math.round(share * 100)}%`, share),
        onUploaded: () => setPhase(item, 'Reading the text and looking for personal data…', null),
        onWait: (seconds, error) => setPhase(item, `${waitReason(error)}; trying again in ${seconds} s…`, null),
      });
      const analysis = await json(response);
      item.tokens.analyse = tokensFrom(response) ?? analysis.tokens_charged;
      item.analysis = analysis;
      if (typeof analysis.dpi === 'number') item.isPdf = true;
      const manual = item.regions.filter((r) => r.manual);
      item.regions = analysis.entities.map((entity) => ({
        id: `r${item.nextRegion++}`,
        type: entity.entity_type,
        text: entity.text,
        score: entity.score,
        page: entity.page || 1,
        boxes: entity.boxes && entity.boxes.length ? entity.boxes : [entity.bbox],
        color: Object.keys(typeColours()).length ? entity.color : null,
        approved: true,
        manual: false,
      })).concat((analysis.objects || []).map((object) => ({
        // Faces, people and plates (visual options): reviewed like text regions, painted the same way.
        id: `r${item.nextRegion++}`,
        type: VISUAL_TYPES[object.entity_type] || object.entity_type,
        text: '',
        score: object.score,
        page: object.page || 1,
        boxes: [object.bbox],
        approved: true,
        manual: false,
      }))).sort((a, b) => a.page - b.page || a.boxes[0].y - b.boxes[0].y || a.boxes[0].x - b.boxes[0].x);
      item.regions.push(...manual);
      item.status = 'review';
      buildReview(item);
      updateCard(item);
      const found = analysis.entities.length;
      announce(`${item.name}: ${found} region${found === 1 ? '' : 's'} found; review them, then redact.`);
    } catch (error) {
      if (error.name === 'AbortError') return;
      if (!(error instanceof ApiError)) throw error;
      item.error = error;
      item.status = item.analysis ? 'review' : 'failed';
      updateCard(item);
    } finally {
      item.controller = null;
    }
  }

  function waitReason(error) {
    if (error.code === 'rate_limited') return 'Too many requests per minute for your plan';
    if (error.code === 'not_ready') return 'The service is starting';
    return 'The service is busy';
  }

  function setPhase(item, text, share) {
    item.phase = text;
    item.progress = share;
    updateProgress(item);
  }

  function approvedBoxes(item) {
    return item.regions.filter((r) => r.approved).flatMap((r) => r.boxes.map((b) => ({
      x: b.x, y: b.y, width: b.width, height: b.height, page: r.page, ...(r.color ? { color: r.color } : {}),
    })));
  }

  function queueRedaction(item) {
    if (item.status !== 'review') return;
    item.error = null;
    item.status = 'redact-queued';
    item.pending = 'redact';
    updateCard(item);
    schedule();
  }

  async function redact(item) {
    const boxes = approvedBoxes(item);
    const fill = fillColor();
    const extra = extraOptions('redact');
    item.status = 'redacting';
    item.phase = 'Uploading…';
    item.progress = 0;
    item.controller = new AbortController();
    updateCard(item);
    try {
      const response = await call('POST', '/v1/redact-image', {
        key: state.key,
        signal: item.controller.signal,
        makeForm: () => {
          const form = new FormData();
          form.append('image', item.file, item.name);
          form.append('fill_color', fill);
          form.append('boxes', JSON.stringify(boxes));
          for (const [name, value] of extra) form.append(name, value);
          return form;
        },
        onUpload: (share) => setPhase(item, `Uploading… ${Math.round(share * 100)}%`, share),
        onUploaded: () => setPhase(item, 'Painting the approved regions…', null),
        onWait: (seconds, error) => setPhase(item, `${waitReason(error)}; trying again in ${seconds} s…`, null),
      });
      item.tokens.redact = tokensFrom(response);
      const painted = parseInt(response.header('X-Redacted-Regions') || `${boxes.length}`, 10);
      const type = (response.header('Content-Type') || response.body.type || '').split(';')[0].trim();
      const blob = response.body.type === type ? response.body : new Blob([response.body], { type });
      const filename = downloadName(response.header('Content-Disposition'), item.name, type);
      item.result = {
        blob,
        url: URL.createObjectURL(blob),
        filename,
        pdf: type === 'application/pdf' || /\.pdf$/i.test(filename),
        painted,
        fill,
      };
      item.status = 'done';
      updateCard(item);
      announce(`${item.name}: redacted, ${painted} region${painted === 1 ? '' : 's'} painted; check it, then download.`);
    } catch (error) {
      if (error.name === 'AbortError') return;
      if (!(error instanceof ApiError)) throw error;
      item.error = error;
      item.status = 'review';
      updateCard(item);
    } finally {
      item.controller = null;
    }
  }

  function downloadName(disposition, original, type) {
    const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition || '');
    if (match) {
      try { return decodeURIComponent(match[1]); } catch (e) { return match[1]; }
    }
    const dot = original.lastIndexOf('.');
    const ext = type === 'application/pdf' ? '.pdf' : dot > 0 ? original.slice(dot) : `.${(type.split('/')[1] || 'bin')}`;
    return `${dot > 0 ? original.slice(0, dot) : original}-redacted${ext}`;
  }

  function removeFile(item) {
    if (item.controller) item.controller.abort();
    item.pending = null;
    if (item.previewUrl) URL.revokeObjectURL(item.previewUrl);
    if (item.result) URL.revokeObjectURL(item.result.url);
    const index = state.files.indexOf(item);
    state.files.splice(index, 1);
    item.el.card.remove();
    const next = state.files[index] || state.files[index - 1];
    if (next) next.el.heading.focus();
    else $('#file-input').focus();
    $('#bulk-actions').hidden = state.files.length === 0;
    announce(`${item.name} removed.`);
    updateBulk();
  }

  function triggerDownload(url, filename) {
    const link = h('a', { href: url, download: filename, class: 'visually-hidden' });
    document.body.append(link);
    link.click();
    link.remove();
  }

  async function downloadAll() {
    const done = state.files.filter((f) => f.status === 'done');
    if (!done.length) return;
    const button = $('#download-all');
    button.disabled = true;
    try {
      const names = window.RedactorZip.uniqueNames(done.map((f) => f.result.filename));
      const zip = await window.RedactorZip.makeZip(done.map((f, i) => ({ name: names[i], blob: f.result.blob })));
      const stamp = new Date().toISOString().slice(0, 16).replace(/[-:]/g, '').replace('T', '-');
      const url = URL.createObjectURL(zip);
      triggerDownload(url, `redacted-${stamp}.zip`);
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      announce(`Downloading ${done.length} redacted file${done.length === 1 ? '' : 's'} as one zip.`);
    } finally {
      updateBulk();
    }
  }

  function updateBulk() {
    const reviewed = state.files.filter((f) => f.status === 'review').length;
    const done = state.files.filter((f) => f.status === 'done').length;
    const redactAll = $('#redact-all');
    redactAll.disabled = reviewed === 0;
    redactAll.textContent = `Redact all reviewed files${reviewed ? ` (${reviewed})` : ''}`;
    const downloadAllButton = $('#download-all');
    downloadAllButton.disabled = done === 0;
    downloadAllButton.textContent = `Download all as .zip${done ? ` (${done})` : ''}`;
  }

  // ------------------------------------------------------------------ the file card

  function buildCard(item) {
    const headingId = `${item.id}-name`;
    const el = item.el;
    el.heading = h('h3', { id: headingId, tabindex: '-1', class: 'file-name', text: item.name });
    el.size = h('span', { class: 'file-size', text: bytes(item.file.size) });
    el.remove = h('button', {
      type: 'button', class: 'link remove-file', 'aria-label': `Remove ${item.name}`,
      onclick: () => removeFile(item),
    }, 'Remove');
    el.progress = h('progress', { max: '1', 'aria-labelledby': `${item.id}-phase` });
    el.phase = h('span', { id: `${item.id}-phase`, class: 'phase' });
    el.error = h('div', { class: 'notice error', role: 'alert', hidden: true });
    el.retry = h('button', { type: 'button', class: 'retry', hidden: true, onclick: () => retry(item) }, 'Try again');
    el.tokens = h('p', { class: 'tokens' });
    el.review = h('div', { class: 'review', hidden: true });
    el.result = h('div', { class: 'result', hidden: true });
    el.preview = buildStage(item);
    el.card = h('li', { class: 'file', id: item.id, 'data-status': item.status },
      h('article', { 'aria-labelledby': headingId },
        h('header', { class: 'file-head' }, el.heading, el.size, el.remove),
        h('div', { class: 'progress-row' }, el.progress, el.phase),
        el.error, el.retry,
        el.preview,
        el.review,
        el.result,
        el.tokens));
    $('#files').append(el.card);
    updateCard(item);
  }

  function retry(item) {
    item.error = null;
    item.status = 'queued';
    item.pending = 'analyse';
    updateCard(item);
    if (!state.key) {
      setKeyMessage('Enter your API key to analyse the files.', 'error');
      $('#api-key').focus();
    }
    schedule();
  }

  function updateProgress(item) {
    const { progress, phase } = item.el;
    const busy = ['queued', 'analysing', 'redact-queued', 'redacting'].includes(item.status);
    progress.hidden = !busy;
    if (item.progress === null || item.status.endsWith('queued')) progress.removeAttribute('value');
    else progress.value = item.progress;
    let text = item.phase;
    if (item.status === 'queued') text = state.key ? 'Waiting for its turn…' : 'Waiting for your API key (step 1).';
    if (item.status === 'redact-queued') text = 'Waiting for its turn to be redacted…';
    if (item.status === 'failed') text = 'Not analysed.';
    if (item.status === 'review') text = reviewSummary(item);
    if (item.status === 'done') text = `Redacted: ${item.result.painted} region${item.result.painted === 1 ? '' : 's'} painted. Check the result before publishing.`;
    phase.textContent = text;
  }

  function reviewSummary(item) {
    const approved = item.regions.filter((r) => r.approved).length;
    return `${approved} of ${item.regions.length} region${item.regions.length === 1 ? '' : 's'} will be painted. Review them, then redact.`;
  }

  function updateCard(item) {
    const el = item.el;
    el.card.dataset.status = item.status;
    updateProgress(item);
    el.error.hidden = !item.error;
    el.error.replaceChildren(...(item.error ? errorBlock(item.error) : []));
    el.retry.hidden = item.status !== 'failed';
    el.review.hidden = item.status !== 'review' && item.status !== 'redact-queued' && item.status !== 'redacting';
    el.preview.hidden = item.status === 'done' || item.status === 'failed';
    el.result.hidden = item.status !== 'done';
    if (item.el.redactButton) {
      const busy = item.status !== 'review';
      item.el.redactButton.disabled = busy;
      item.el.reanalyseButton.disabled = busy;
    }
    if (item.status === 'done') buildResult(item);
    else el.result.replaceChildren();
    const parts = [];
    if (item.tokens.analyse !== null) parts.push(`analysis ${number(item.tokens.analyse)}`);
    if (item.tokens.redact !== null) parts.push(`redaction ${number(item.tokens.redact)}`);
    el.tokens.textContent = parts.length ? `Tokens charged: ${parts.join(', ')}.` : '';
    updateBulk();
  }

  // ---- the preview with its regions

  function buildStage(item) {
    const img = h('img', { class: 'page-image', alt: `Page 1 of ${item.name}`, src: item.previewUrl, draggable: 'false' });
    const overlay = h('div', { class: 'overlay' });
    const fallback = h('p', { class: 'fallback', hidden: true });
    const stage = h('div', { class: 'stage' }, img, overlay);
    const pageNote = h('p', { class: 'help page-note', hidden: true });
    const pagePicker = h('select', {
      id: `${item.id}-page-shown`, class: 'page-picker',
      onchange: () => showPage(item, parseInt(pagePicker.value, 10)),
    });
    const pickRow = h('div', { class: 'page-pick', hidden: true },
      h('label', { for: `${item.id}-page-shown`, text: 'Page shown' }), pagePicker);
    const drawToggle = h('button', {
      type: 'button', class: 'draw-toggle', 'aria-pressed': 'false', hidden: true,
      onclick: () => {
        item.drawMode = !item.drawMode;
        drawToggle.setAttribute('aria-pressed', String(item.drawMode));
        stage.classList.toggle('draw-mode', item.drawMode);
      },
    }, 'Draw with touch');
    const hint = h('p', { class: 'help stage-hint', hidden: true },
      'Filled regions will be painted. Click or tap a region to keep it visible; drag on the image to add one '
      + '(on a touch screen, switch on “Draw with touch” first).');
    item.el.img = img;
    item.el.stage = stage;
    item.el.overlay = overlay;
    item.el.fallback = fallback;
    item.el.pageNote = pageNote;
    item.el.pagePicker = pagePicker;
    item.el.pickRow = pickRow;
    item.el.hint = hint;
    item.el.drawToggle = drawToggle;
    img.addEventListener('load', () => {
      item.previewOk = true;
      stage.classList.remove('no-preview');
    });
    img.addEventListener('error', () => showFallback(item));
    if (item.isPdf) showFallback(item);
    bindDrawing(item);
    return h('div', { class: 'preview' }, hint, fallback, stage, h('div', { class: 'stage-tools' }, pickRow, drawToggle, pageNote));
  }

  /* No preview: TIFF (browsers cannot decode it) or PDF (never rendered here: no PDF library is loaded). */
  function showFallback(item) {
    const { img, stage, fallback } = item.el;
    item.previewOk = false;
    img.hidden = true;
    img.removeAttribute('src');
    fallback.hidden = false;
    fallback.textContent = fallbackText(item);
    stage.classList.add('no-preview');
    if (!item.analysis) stage.style.aspectRatio = '4 / 3';
    else updatePagePicker(item);
  }

  /* Without a preview every page is only an outline, so any page can be outlined (the service says each
     page's size in `page_sizes`); with a preview only page 1 is shown, as the image the browser decodes. */
  function canPickPage(item) {
    const analysis = item.analysis;
    return Boolean(analysis && item.previewOk === false && analysis.pages > 1
      && Array.isArray(analysis.page_sizes) && analysis.page_sizes.length === analysis.pages);
  }

  function updatePagePicker(item) {
    const { pickRow, pagePicker, pageNote } = item.el;
    const pages = item.analysis ? item.analysis.pages : 1;
    const usable = canPickPage(item);
    pickRow.hidden = !usable;
    if (usable && pagePicker.options.length !== pages) {
      pagePicker.replaceChildren(...item.analysis.page_sizes.map((size, i) => h('option', {
        value: i + 1, text: `${i + 1} of ${pages} (${size.width} × ${size.height} px)`,
      })));
    }
    if (usable) pagePicker.value = String(item.viewPage);
    else if (item.viewPage !== 1) showPage(item, 1);
    pageNote.hidden = pages <= 1;
    const shown = usable ? 'Choose the page outlined with “Page shown”'
      : item.previewOk === false ? 'The outline is page 1' : 'The preview shows page 1';
    pageNote.textContent = pages > 1
      ? `This file has ${pages} pages. ${shown}; the regions of every page are listed, and you can add one on any page by coordinates.`
      : '';
  }

  /* Outline page n (from 1) with its regions; drawn rectangles go to that page. */
  function showPage(item, n) {
    item.viewPage = n;
    if (item.el.pagePicker.value !== String(n) && canPickPage(item)) item.el.pagePicker.value = String(n);
    if (!item.analysis) return;
    const { width, height } = dims(item);
    item.el.stage.style.aspectRatio = `${width} / ${height}`;
    item.el.overlay.replaceChildren();
    for (const region of item.regions) drawRegion(item, region);
  }

  function fallbackText(item) {
    if (!item.isPdf) {
      return 'Preview unavailable: this browser cannot show this format (TIFF, for example). The regions found are '
        + 'listed with this file and outlined on the blank page below, where you can still draw; the service does the redaction.';
    }
    const analysis = item.analysis;
    if (!analysis) return 'PDF: preview not shown (this page does not display PDFs). The regions found will be listed per page.';
    const pages = `${analysis.pages} page${analysis.pages === 1 ? '' : 's'}`;
    const dpi = typeof analysis.dpi === 'number' ? ` rendered at ${analysis.dpi} dpi` : '';
    const outline = analysis.pages === 1 ? 'a blank page below'
      : canPickPage(item) ? 'a blank page below (choose it with “Page shown”)' : 'a blank page 1 below';
    return `PDF: ${pages}; preview not shown, regions are listed per page. They are outlined on ${outline}, `
      + `where you can still draw; coordinates are pixels of each page${dpi}. The service does the redaction.`;
  }

  function dims(item) {
    if (!item.analysis) return { width: item.el.img.naturalWidth, height: item.el.img.naturalHeight };
    return pageSize(item, item.viewPage) || item.analysis.image_dimensions;
  }

  function pct(value, total) {
    return `${(100 * value / total).toFixed(4)}%`;
  }

  function drawRegion(item, region) {
    region.els = [];
    if (!region.number) region.number = item.nextNumber++;
    if (region.page !== item.viewPage) return;
    const { width, height } = dims(item);
    region.boxes.forEach((box, i) => {
      const el = h('div', {
        class: `region${region.manual ? ' manual' : ''}`,
        'data-region': region.id,
        'data-entity': region.type,
        title: `${entityLabel(region.type)}${region.text ? `: ${region.text}` : ''} (click to keep or paint)`,
        'aria-hidden': 'true',
      });
      el.style.left = pct(box.x, width);
      el.style.top = pct(box.y, height);
      el.style.width = pct(box.width, width);
      el.style.height = pct(box.height, height);
      if (i === 0) {
        const tag = h('span', { class: 'tag' },
          h('span', { class: 'tag-number', text: String(region.number) }),
          h('span', { class: 'tag-label', text: ` ${entityLabel(region.type)}` }));
        if (box.y < height * 0.04) tag.classList.add('below');
        el.append(tag);
      }
      el.addEventListener('click', (e) => {
        e.stopPropagation();
        setApproved(item, region, !region.approved);
      });
      el.addEventListener('pointerenter', (e) => { if (e.pointerType === 'mouse') highlight(item, region, true); });
      el.addEventListener('pointerleave', () => highlight(item, region, false));
      item.el.overlay.append(el);
      region.els.push(el);
    });
    paintRegion(item, region);
  }

  function paintRegion(item, region) {
    const colour = region.color || cssColour(fillColor());
    for (const el of region.els || []) {
      el.classList.toggle('kept', !region.approved);
      el.style.setProperty('--fill', colour);
    }
  }

  function highlight(item, region, on) {
    for (const el of region.els || []) el.classList.toggle('highlight', on);
    if (region.row) region.row.classList.toggle('highlight', on);
  }

  function setApproved(item, region, approved) {
    region.approved = approved;
    if (region.checkbox) region.checkbox.checked = approved;
    if (region.state) region.state.textContent = approved ? 'will be painted' : 'kept visible';
    if (region.row) region.row.classList.toggle('kept', !approved);
    paintRegion(item, region);
    updateRegionCount(item);
    updateProgress(item);
  }

  function updateRegionCount(item) {
    if (!item.el.regionCount) return;
    const approved = item.regions.filter((r) => r.approved).length;
    item.el.regionCount.textContent = `${approved} of ${item.regions.length} will be painted`;
  }

  function regionRow(item, region) {
    const id = `${item.id}-${region.id}`;
    region.checkbox = h('input', { type: 'checkbox', id, checked: region.approved, 'data-region': region.id });
    region.checkbox.addEventListener('change', () => setApproved(item, region, region.checkbox.checked));
    region.checkbox.addEventListener('focus', () => {
      if (region.page !== item.viewPage && canPickPage(item)) showPage(item, region.page);
      highlight(item, region, true);
    });
    region.checkbox.addEventListener('blur', () => highlight(item, region, false));
    region.state = h('span', { class: 'region-state', text: region.approved ? 'will be painted' : 'kept visible' });
    const box = region.boxes[0];
    const where = region.manual ? `x ${box.x}, y ${box.y}, ${box.width} × ${box.height} px` : `score ${Math.round(region.score * 100)}%`;
    const pageText = item.analysis && item.analysis.pages > 1 ? `page ${region.page} · ` : '';
    region.row = h('li', { class: 'region-row', 'data-region': region.id, 'data-entity': region.type },
      region.checkbox,
      h('label', { for: id },
        h('span', { class: 'swatch', 'aria-hidden': 'true', text: String(region.number) }),
        h('span', { class: 'region-type', text: entityLabel(region.type) }),
        region.text ? h('span', { class: 'region-text', text: region.text }) : null,
        h('span', { class: 'region-meta' }, `${pageText}${where} · `, region.state)),
      region.manual ? h('button', {
        type: 'button', class: 'link remove-region', 'aria-label': `Remove the region you added at x ${box.x}, y ${box.y}`,
        onclick: () => removeRegion(item, region),
      }, 'Remove') : null);
    region.row.classList.toggle('kept', !region.approved);
    region.row.addEventListener('pointerenter', (e) => { if (e.pointerType === 'mouse') highlight(item, region, true); });
    region.row.addEventListener('pointerleave', () => highlight(item, region, false));
    return region.row;
  }

  function buildReview(item) {
    const pages = item.analysis.pages;
    if (item.viewPage > pages || !canPickPage(item)) item.viewPage = 1;
    const { width, height } = dims(item);
    item.el.stage.style.aspectRatio = `${width} / ${height}`;
    item.el.overlay.replaceChildren();
    item.nextNumber = 1;
    for (const region of item.regions) region.number = item.nextNumber++;
    item.el.hint.hidden = false;
    item.el.drawToggle.hidden = !(navigator.maxTouchPoints > 0); // mice and pens always draw
    if (item.isPdf || item.previewOk === false) showFallback(item); // now with the page count
    updatePagePicker(item);
    for (const region of item.regions) drawRegion(item, region);

    item.el.regionList = h('ul', { class: 'region-list' }, item.regions.map((r) => regionRow(item, r)));
    item.el.regionCount = h('span', { class: 'region-count' });
    const empty = h('p', { class: 'help empty-regions', hidden: item.regions.length > 0 },
      'No personal data found with these options. Add regions by drawing on the image, or analyse again with other options.');
    item.el.emptyRegions = empty;
    item.el.redactButton = h('button', { type: 'button', class: 'primary redact', onclick: () => queueRedaction(item) },
      'Redact and show the result');
    item.el.reanalyseButton = h('button', {
      type: 'button', class: 'reanalyse',
      onclick: () => {
        if (item.status !== 'review') return;
        item.status = 'queued';
        item.pending = 'analyse';
        updateCard(item);
        schedule();
      },
    }, 'Analyse again with the current options');
    const anonymized = item.analysis.anonymized_text;
    item.el.review.replaceChildren(
      h('fieldset', { class: 'regions' },
        h('legend', {}, 'Regions to paint: ', item.el.regionCount),
        h('p', { class: 'help', text: 'Ticked regions are painted over; untick one to keep it visible.' }),
        empty,
        item.el.regionList),
      addRegionForm(item),
      anonymized ? h('details', { class: 'anonymized' },
        h('summary', {}, 'Text read, with the personal data replaced'),
        h('pre', { class: 'anonymized-text', tabindex: '0', text: anonymized }),
        h('a', {
          href: URL.createObjectURL(new Blob([anonymized], { type: 'text/plain;charset=utf-8' })),
          download: `${item.name.replace(/\.[^.]+$/, '')}-anonymized.txt`,
        }, 'Download the text')) : null,
      h('div', { class: 'actions' }, item.el.redactButton, item.el.reanalyseButton),
    );
    updateRegionCount(item);
  }

  function addRegion(item, box, page) {
    const region = {
      id: `r${item.nextRegion++}`,
      type: 'MANUAL',
      text: '',
      score: 1,
      page,
      boxes: [box],
      approved: true,
      manual: true,
    };
    item.regions.push(region);
    drawRegion(item, region);
    item.el.regionList.append(regionRow(item, region));
    item.el.emptyRegions.hidden = true;
    updateRegionCount(item);
    updateProgress(item);
    announce(`Region added on page ${page}: x ${box.x}, y ${box.y}, ${box.width} by ${box.height} pixels.`);
    return region;
  }

  function removeRegion(item, region) {
    item.regions.splice(item.regions.indexOf(region), 1);
    for (const el of region.els || []) el.remove();
    const next = region.row.nextElementSibling || region.row.previousElementSibling;
    region.row.remove();
    if (next) next.querySelector('input').focus();
    else item.el.heading.focus();
    item.el.emptyRegions.hidden = item.regions.length > 0;
    updateRegionCount(item);
    updateProgress(item);
    announce('Region removed.');
  }

  /* Pixel size of page n (from 1), or null when the service did not say (older services give page 1 only). */
  function pageSize(item, n) {
    const sizes = item.analysis.page_sizes;
    if (Array.isArray(sizes) && sizes[n - 1]) return sizes[n - 1];
    return n === 1 ? item.analysis.image_dimensions : null;
  }

  function addRegionForm(item) {
    const { width, height } = item.analysis.image_dimensions;
    const pages = item.analysis.pages;
    const input = (name, label, max, min = 0) => {
      const id = `${item.id}-add-${name}`;
      return h('div', { class: 'field tiny' },
        h('label', { for: id, text: label }),
        h('input', { id, type: 'number', min, max, step: 1, inputmode: 'numeric', 'data-name': name, required: true }));
    };
    const message = h('p', { class: 'message', role: 'alert' });
    const form = h('form', { class: 'add-region', novalidate: true },
      h('div', { class: 'row wrap-row' },
        input('x', 'Left (x)', width - 1), input('y', 'Top (y)', height - 1),
        input('width', 'Width', width, 1), input('height', 'Height', height, 1),
        pages > 1 ? input('page', 'Page', pages, 1) : null,
        h('button', { type: 'submit' }, 'Add region')),
      message);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const value = (name) => {
        const el = form.querySelector(`[data-name=${name}]`);
        return el ? parseInt(el.value, 10) : 1;
      };
      const box = { x: value('x'), y: value('y'), width: value('width'), height: value('height') };
      const page = value('page');
      const badPage = !Number.isInteger(page) || page < 1 || page > pages;
      const size = badPage ? null : pageSize(item, page);
      const bad = Object.values(box).some((v) => !Number.isInteger(v) || v < 0) || box.width < 1 || box.height < 1
        || badPage || (size && (box.x + box.width > size.width || box.y + box.height > size.height));
      if (bad) {
        const on = size || { width, height };
        message.textContent = `Enter whole numbers in pixels; page ${size ? page : 1} is ${on.width} × ${on.height} pixels.`;
        message.className = 'message error';
        return;
      }
      message.textContent = '';
      addRegion(item, box, page);
      form.reset();
    });
    return h('details', { class: 'add-box' },
      h('summary', {}, 'Add a region by coordinates'),
      h('p', { class: 'help', text: item.isPdf
        ? `In pixels of the page as the service renders it${typeof item.analysis.dpi === 'number' ? ` at ${item.analysis.dpi} dpi` : ''} `
          + `(page 1 is ${width} × ${height}), as in the list of regions.`
        : `In pixels of the image (page 1 is ${width} × ${height}).` }),
      form);
  }

  // ---- drawing a rectangle with the mouse, a pen, or touch when "Draw with touch" is on

  function bindDrawing(item) {
    const overlay = item.el.overlay;
    let start = null;
    let rubber = null;
    let pointerId = null;

    const point = (e) => {
      const rect = overlay.getBoundingClientRect();
      const { width, height } = dims(item);
      const x = Math.min(Math.max(e.clientX - rect.left, 0), rect.width) * (width / rect.width);
      const y = Math.min(Math.max(e.clientY - rect.top, 0), rect.height) * (height / rect.height);
      return { x, y };
    };
    const boxOf = (a, b) => {
      const { width, height } = dims(item);
      const x0 = Math.max(0, Math.floor(Math.min(a.x, b.x)));
      const y0 = Math.max(0, Math.floor(Math.min(a.y, b.y)));
      const x1 = Math.min(width, Math.ceil(Math.max(a.x, b.x)));
      const y1 = Math.min(height, Math.ceil(Math.max(a.y, b.y)));
      return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
    };
    const cancel = () => {
      if (rubber) rubber.remove();
      rubber = null;
      start = null;
      pointerId = null;
    };

    overlay.addEventListener('pointerdown', (e) => {
      if (item.status !== 'review' || !item.analysis) return;
      if (e.button !== 0 || e.target.closest('.region')) return;
      if (e.pointerType === 'touch' && !item.drawMode) return; // let the page scroll
      e.preventDefault();
      start = point(e);
      pointerId = e.pointerId;
      try { overlay.setPointerCapture(e.pointerId); } catch (err) { /* synthetic pointer: no capture */ }
      rubber = h('div', { class: 'rubber', 'aria-hidden': 'true' });
      overlay.append(rubber);
    });
    overlay.addEventListener('pointermove', (e) => {
      if (!start || e.pointerId !== pointerId) return;
      const { width, height } = dims(item);
      const box = boxOf(start, point(e));
      rubber.style.left = pct(box.x, width);
      rubber.style.top = pct(box.y, height);
      rubber.style.width = pct(box.width, width);
      rubber.style.height = pct(box.height, height);
    });
    overlay.addEventListener('pointerup', (e) => {
      if (!start || e.pointerId !== pointerId) return;
      const box = boxOf(start, point(e));
      cancel();
      if (box.width >= MIN_DRAWN_PIXELS && box.height >= MIN_DRAWN_PIXELS) addRegion(item, box, item.viewPage);
    });
    overlay.addEventListener('pointercancel', cancel);
    overlay.addEventListener('keydown', (e) => { if (e.key === 'Escape') cancel(); });
    document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && start) cancel(); });
  }

  // ---- the result

  function buildResult(item) {
    const result = item.result;
    if (item.el.result.dataset.url === result.url) return;
    item.el.result.dataset.url = result.url;
    let shown;
    if (result.pdf) {
      // Not embedded: the page loads no PDF viewer and its security policy allows no frames.
      const pages = item.analysis ? item.analysis.pages : null;
      shown = h('p', {
        class: 'fallback pdf-result',
        text: `Redacted PDF${pages ? `: ${pages} page${pages === 1 ? '' : 's'}` : ''}, each page an image (no text layer). `
          + 'Not shown here: download it and check every page in a PDF viewer.',
      });
    } else {
      const img = h('img', { class: 'result-image', alt: `Redacted ${item.name}, page 1`, src: result.url });
      const fallback = h('p', {
        class: 'fallback', hidden: true,
        text: 'This browser cannot show this format; download the file and check it in another viewer.',
      });
      img.addEventListener('error', () => { img.hidden = true; fallback.hidden = false; });
      shown = [img, fallback];
    }
    const link = h('a', {
      class: 'button primary download', href: result.url, download: result.filename,
    }, `Download ${result.filename}`);
    const again = h('button', {
      type: 'button', class: 'change',
      onclick: () => {
        URL.revokeObjectURL(result.url);
        item.result = null;
        item.tokens.redact = null;
        item.status = 'review';
        updateCard(item);
        for (const region of item.regions) paintRegion(item, region);
        if (item.el.redactButton) item.el.redactButton.focus();
      },
    }, 'Change the regions');
    item.el.result.replaceChildren(
      h('p', { class: 'help', text: 'The redacted file, as the service returned it:' }),
      h('div', { class: `result-stage${result.pdf ? ' pdf' : ''}` }, shown),
      h('div', { class: 'actions' }, link, again),
    );
  }

  // ------------------------------------------------------------------ wiring

  function wire() {
    $('#key-form').addEventListener('submit', (e) => {
      e.preventDefault();
      useKey($('#api-key').value);
    });
    $('#forget-key').addEventListener('click', forgetKey);

    $('#entities-all').addEventListener('click', () => {
      for (const el of document.querySelectorAll('#entity-list input[type=checkbox]')) el.checked = true;
      updateEntitySummary();
    });
    $('#entities-none').addEventListener('click', () => {
      for (const el of document.querySelectorAll('#entity-list input[type=checkbox]')) el.checked = false;
      updateEntitySummary();
    });
    $('#entity-list').addEventListener('change', updateEntitySummary);

    const range = $('#threshold');
    const exact = $('#threshold-number');
    range.addEventListener('input', () => { exact.value = range.value; });
    exact.addEventListener('change', () => {
      const v = Math.min(1, Math.max(0, Number(exact.value) || 0));
      exact.value = String(v);
      range.value = String(v);
    });

    const fill = $('#fill');
    fill.addEventListener('change', () => {
      $('#fill-custom').hidden = fill.value !== 'custom';
      repaintAll();
    });
    $('#fill-custom').addEventListener('input', repaintAll);

    const input = $('#file-input');
    input.addEventListener('change', () => {
      addFiles([...input.files]);
      input.value = '';
    });
    const zone = $('#drop-zone');
    let depth = 0;
    document.addEventListener('dragenter', (e) => {
      if (!hasFiles(e)) return;
      depth++;
      zone.classList.add('dragging');
    });
    document.addEventListener('dragleave', () => {
      depth = Math.max(0, depth - 1);
      if (!depth) zone.classList.remove('dragging');
    });
    document.addEventListener('dragover', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
    });
    document.addEventListener('drop', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault(); // never let the browser open the file instead
      depth = 0;
      zone.classList.remove('dragging');
      addFiles([...e.dataTransfer.files]);
    });

    $('#redact-all').addEventListener('click', () => {
      const ready = state.files.filter((f) => f.status === 'review');
      for (const item of ready) queueRedaction(item);
      announce(`Redacting ${ready.length} file${ready.length === 1 ? '' : 's'}.`);
    });
    $('#download-all').addEventListener('click', downloadAll);
    $('#remove-all').addEventListener('click', () => {
      for (const item of [...state.files]) removeFile(item);
      announce('All files removed.');
    });
  }

  function hasFiles(e) {
    return e.dataTransfer && [...(e.dataTransfer.types || [])].includes('Files');
  }

  function repaintAll() {
    for (const item of state.files) for (const region of item.regions) paintRegion(item, region);
  }

  async function start() {
    wire();
    loadCatalogue();
    loadExtraOptions();
    const saved = sessionStorage.getItem(KEY_STORAGE);
    if (saved) await useKey(saved, { quiet: true });
  }

  // For the end-to-end tests and the curious: read-only views of the page's state.
  window.redactorPage = {
    files: () => state.files.map((f) => ({
      name: f.name,
      status: f.status,
      regions: f.regions.map((r) => ({
        id: r.id, type: r.type, text: r.text, page: r.page, approved: r.approved, manual: r.manual, color: r.color || null,
        boxes: r.boxes.map((b) => ({ ...b })),
      })),
      approvedBoxes: approvedBoxes(f),
      isPdf: f.isPdf,
      pages: f.analysis ? f.analysis.pages : null,
      dpi: f.analysis && typeof f.analysis.dpi === 'number' ? f.analysis.dpi : null,
      pageSizes: f.analysis && Array.isArray(f.analysis.page_sizes) ? f.analysis.page_sizes : null,
      pageShown: f.viewPage,
      result: f.result ? {
        filename: f.result.filename, type: f.result.blob.type, pdf: f.result.pdf, painted: f.result.painted, fill: f.result.fill,
      } : null,
    })),
  };

  start();
})();
