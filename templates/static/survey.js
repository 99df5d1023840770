// survey.js: autosave and focus for the survey steps. The form works
// without it; with it, answers are saved every few seconds with the version
// the server last returned, so two tabs never overwrite each other silently,
// and the keyboard focus follows the rater from step to step.
(function () {
  'use strict';
  var form = document.getElementById('survey');
  if (!form || !window.fetch || !window.FormData || !window.URLSearchParams) {
    return;
  }
  var url = form.getAttribute('data-autosave');
  var version = form.querySelector('input[name="version"]');
  var status = document.getElementById('autosave-status');
  var dirty = false;
  var busy = false;
  var stopped = false;
  var pendingSubmit = null;
  var EVERY_MS = 4000;

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  // data-autosave-state says where the answers are: "dirty" (changed, not
  // saved yet), "saving", "saved" or "stopped".
  function state(name) {
    form.setAttribute('data-autosave-state', name);
  }

  function changed() {
    dirty = true;
    state('dirty');
  }
  form.addEventListener('input', changed);
  form.addEventListener('change', changed);

  function finish() {
    busy = false;
    if (pendingSubmit) {
      var action = pendingSubmit;
      pendingSubmit = null;
      var hidden = document.createElement('input');
      hidden.type = 'hidden';
      hidden.name = 'action';
      hidden.value = action;
      form.appendChild(hidden);
      form.submit();
    }
  }

  function save() {
    if (!dirty || busy || stopped) {
      return;
    }
    busy = true;
    dirty = false;
    state('saving');
    var data = new URLSearchParams(new FormData(form));
    data.set('action', 'save');
    fetch(url, {
      method: 'POST',
      body: data,
      credentials: 'same-origin',
      headers: { 'Accept': 'application/json' }
    }).then(function (res) {
      return res.json().then(function (body) {
        return { status: res.status, body: body };
      }, function () {
        return { status: res.status, body: {} };
      });
    }).then(function (res) {
      if (res.status === 200) {
        version.value = String(res.body.version);
        state(dirty ? 'dirty' : 'saved');
        var t = new Date();
        say('Draft saved at ' + t.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) + '.');
      } else if (res.status === 409) {
        stopped = true;
        state('stopped');
        say('Not saved: ' + (res.body.error || 'these answers were changed in another window.') +
          ' Press "Next" to keep what you see here, or reload the page to see the saved answers.');
      } else if (res.status === 422) {
        state('dirty');
        say('Not saved yet: ' + (res.body.error || 'some answers need your attention.'));
      } else if (res.status === 404 || res.status === 410) {
        stopped = true;
        state('stopped');
        say(res.body.error || 'This survey can no longer be changed.');
      } else {
        dirty = true;
        state('dirty');
        say('Not saved yet; trying again in a moment.');
      }
    }, function () {
      dirty = true;
      state('dirty');
      say('Not saved yet (no connection?); trying again in a moment.');
    }).then(finish, finish);
  }

  // A click on Save or Submit while an autosave is on its way waits for it,
  // so the form carries the newest version.
  form.addEventListener('submit', function (ev) {
    stopped = true;
    if (busy) {
      ev.preventDefault();
      pendingSubmit = (ev.submitter && ev.submitter.value) || 'save';
    }
  });

  window.setInterval(save, EVERY_MS);

  // Focus: a message the server put first on the page has it already
  // (autofocus). A link to one answer (#q12, from the review step) focuses
  // that answer; arriving on a step by Next or Back focuses the step's
  // heading, so a screen reader says where the rater is. This waits for the
  // page to load: the browser's own jump to #q12 would take the focus away.
  function placeFocus() {
    if (document.querySelector('[autofocus]')) {
      return;
    }
    var target = window.location.hash && document.getElementById(window.location.hash.slice(1));
    if (target && target.tagName === 'FIELDSET') {
      var input = target.querySelector('input:checked') || target.querySelector('input');
      if (input) {
        input.focus();
      }
    } else if (/[?&]step=/.test(window.location.search)) {
      var heading = document.getElementById('step-title');
      if (heading) {
        heading.focus();
      }
    }
  }
  if (document.readyState === 'complete') {
    placeFocus();
  } else {
    window.addEventListener('load', placeFocus);
  }
}());
