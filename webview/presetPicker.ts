// The plugin's presets (its schema's `presets` keyword): pick one, read what it is for, and fill the form with it.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import type { ConfigPreset } from '../src/core/form/presets';
import { el } from './dom';

/** Undefined when the plugin offers no presets. `chosen`: the preset last filled in, shown chosen; `apply` gets an index. */
export function presetPicker(presets: readonly ConfigPreset[], chosen: number | undefined, apply: (index: number) => void): HTMLElement | undefined {
  if (presets.length === 0) return undefined;
  const select = el('vscode-single-select', { id: 'preset', 'aria-describedby': 'preset-description' });
  select.append(el('vscode-option', { value: '', selected: chosen === undefined }, ['Choose a preset…']));
  presets.forEach((p, i) => select.append(el('vscode-option', { value: String(i), selected: i === chosen, description: p.description }, [p.name])));
  const description = el('p', { class: 'help', id: 'preset-description', 'data-preset-description': '' }, [
    chosen === undefined ? '' : (presets[chosen]?.description ?? ''),
  ]);
  const use = el('vscode-button', { id: 'use-preset', secondary: true, disabled: chosen === undefined }, ['Fill in the form']);
  select.addEventListener('change', () => {
    const chosen = select.value === '' ? undefined : presets[Number(select.value)];
    description.textContent = chosen?.description ?? '';
    (use as HTMLElement & { disabled: boolean }).disabled = chosen === undefined;
  });
  use.addEventListener('click', () => {
    if (select.value !== '') apply(Number(select.value));
  });
  return el('section', { class: 'presets' }, [
    el('vscode-label', { for: 'preset' }, ['Presets']),
    el('p', { class: 'help' }, [
      'Settings for output where guessing its format cannot be right. A preset fills in the form; nothing is applied until you save.',
    ]),
    el('div', { class: 'preset-row' }, [select, use]),
    description,
  ]);
}
