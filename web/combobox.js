// Code suggestions as you type: the WAI-ARIA combobox pattern with a listbox popup (list
// autocomplete, manual selection). Arrow keys move, Enter picks, Escape closes.
import { h, replaceChildren } from './dom.js';

/**
 * @param {HTMLInputElement} input  the role=combobox text field
 * @param {HTMLElement} listbox     the role=listbox popup it controls
 * @param {(text: string) => void} announce  says something through a polite live region
 * @param {(text: string) => Array<{code: string, description: string}>} search
 */
export function attachSuggestions(input, listbox, announce, search) {
  let results = [];
  let active = -1;

  // The part of the field being searched, and where it starts: words ("cryo liver") search as
  // a whole; in a list of codes ("47371, 473") only the last entry is searched and replaced.
  function searchedPart() {
    const value = input.value;
    if (/[a-z]/i.test(value) && !/[,;\n]/.test(value)) return { text: value.trim(), start: 0 };
    // Scanned backwards: the regex /[^\s,;]*$/ backtracks quadratically where the engine has no
    // linear fallback (V8 in node 20: 0.7 s per keystroke for a pasted list of 40,000 characters).
    let start = value.length;
    while (start > 0 && !/[\s,;]/.test(value[start - 1])) start--;
    return { text: value.slice(start), start };
  }

  function close() {
    listbox.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function highlight(index) {
    active = index;
    for (const [i, option] of [...listbox.children].entries()) {
      option.setAttribute('aria-selected', String(i === index));
      if (i === index) option.scrollIntoView({ block: 'nearest' });
    }
    if (index >= 0) input.setAttribute('aria-activedescendant', listbox.children[index].id);
    else input.removeAttribute('aria-activedescendant');
  }

  function choose(index) {
    const hit = results[index];
    if (!hit) return;
    input.value = input.value.slice(0, searchedPart().start) + hit.code;
    close();
    announce(`${hit.code} chosen.`);
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }

  function update() {
    const { text } = searchedPart();
    results = text ? search(text) : [];
    if (!results.length) {
      replaceChildren(listbox);
      close();
      if (text) announce('No matching codes.');
      return;
    }
    replaceChildren(
      listbox,
      results.map((hit, i) =>
        h(
          'li',
          {
            id: `code-option-${i}`,
            attrs: { role: 'option', 'aria-selected': 'false' },
            onmousedown: (event) => event.preventDefault(), // keep focus in the field
            onclick: () => choose(i),
          },
          h('span', { class: 'code' }, hit.code),
          hit.description,
        ),
      ),
    );
    listbox.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    active = -1;
    input.removeAttribute('aria-activedescendant');
    announce(`${results.length} matching code${results.length === 1 ? '' : 's'}. Use the up and down arrows to choose.`);
  }

  input.addEventListener('input', update);
  input.addEventListener('keydown', (event) => {
    const open = !listbox.hidden;
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (!open) update();
      if (results.length) highlight((active + 1) % results.length);
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      if (open && results.length) highlight(active <= 0 ? results.length - 1 : active - 1);
    } else if (event.key === 'Enter' && open && active >= 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      close();
    } else if (event.key === 'Tab') {
      close();
    }
  });
  input.addEventListener('blur', close);
  return { close };
}
