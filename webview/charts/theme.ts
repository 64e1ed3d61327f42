// The charts' colours, from VS Code's theme variables (light, dark, high contrast), read again when the theme changes.

const RUN_VARS = [
  '--vscode-charts-blue',
  '--vscode-charts-orange',
  '--vscode-charts-green',
  '--vscode-charts-purple',
  '--vscode-charts-red',
  '--vscode-charts-yellow',
];
const FALLBACK = ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'];

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

export interface ChartTheme {
  foreground: string;
  grid: string;
  axis: string;
  font: string;
  /** Colour of the run at an index: the theme's six chart colours, then evenly spaced hues. */
  run(index: number): string;
}

export function readTheme(): ChartTheme {
  const palette = RUN_VARS.map((v, i) => cssVar(v, FALLBACK[i]!));
  const highContrast = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  const foreground = cssVar('--vscode-foreground', '#888');
  return {
    foreground,
    grid: highContrast ? cssVar('--vscode-contrastBorder', foreground) : cssVar('--vscode-charts-lines', 'rgba(128,128,128,0.3)'),
    axis: cssVar('--vscode-descriptionForeground', foreground),
    font: `${cssVar('--vscode-font-size', '12px')} ${cssVar('--vscode-font-family', 'sans-serif')}`,
    run: (index) => palette[index] ?? `hsl(${Math.round((index * 137.5) % 360)}, 65%, 55%)`,
  };
}

/** Calls `changed` when VS Code switches the theme (it changes the body's class and variables). */
export function onThemeChange(changed: () => void): void {
  new MutationObserver(changed).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
