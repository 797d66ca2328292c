/**
 * The snippet installers paste on their site:
 *
 *   <form data-solar-form="fk_…"><input name="firstName">…<button>Send</button></form>
 *   <script src="https://acme.<base domain>/forms/embed.js" async></script>
 *
 * On load it asks this server for the form (its signed start time) and adds two hidden inputs: the start
 * time, and a honeypot people never see; on submit it posts the fields as JSON and shows the answer in
 * place. Plain ES2017, no dependencies, nothing stored in the visitor's browser.
 */
export const EMBED_SCRIPT = `(function () {
  var script = document.currentScript;
  var base = script ? new URL(script.src).origin : '';
  function hidden(form, name, value, trap) {
    var input = document.createElement('input');
    input.type = trap ? 'text' : 'hidden';
    input.name = name;
    input.value = value;
    if (trap) {
      input.tabIndex = -1;
      input.autocomplete = 'off';
      input.setAttribute('aria-hidden', 'true');
      input.style.cssText = 'position:absolute;left:-10000px;width:1px;height:1px;opacity:0';
    }
    form.appendChild(input);
  }
  function say(form, text, ok) {
    var box = form.querySelector('[data-solar-status]');
    if (!box) {
      box = document.createElement('p');
      box.setAttribute('data-solar-status', '');
      box.setAttribute('role', 'status');
      form.appendChild(box);
    }
    box.textContent = text;
    box.className = ok ? 'solar-ok' : 'solar-error';
  }
  document.querySelectorAll('form[data-solar-form]').forEach(function (form) {
    var url = base + '/forms/' + encodeURIComponent(form.getAttribute('data-solar-form'));
    fetch(url).then(function (r) { return r.json(); }).then(function (desc) {
      if (!desc.startedToken) return;
      hidden(form, 'startedToken', desc.startedToken, false);
      hidden(form, desc.honeypotField, '', true);
    });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var fields = {};
      new FormData(form).forEach(function (value, name) { fields[name] = String(value); });
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fields) })
        .then(function (r) { return r.json().then(function (body) { return { status: r.status, body: body }; }); })
        .then(function (a) {
          if (a.status === 201) { form.reset(); say(form, form.getAttribute('data-thanks') || 'Thank you! We will be in touch soon.', true); return; }
          var fieldsInError = a.body && a.body.error && a.body.error.fields ? Object.keys(a.body.error.fields).join(', ') : '';
          say(form, (a.body && a.body.error ? a.body.error.message : 'Something went wrong') + (fieldsInError ? ': ' + fieldsInError : ''), false);
        })
        .catch(function () { say(form, 'Could not send the form; please try again.', false); });
    });
  });
})();
`;
