// The three backends on the Python bridge, built as one lazily loaded bundle (esbuild.mjs): they share the
// bridge, and the interpreter sources must be set on the copy of pythonSources their bundle carries.
export { AimBackend } from './aim/aimBackend';
export { ClearmlBackend } from './clearml/clearmlBackend';
export { WandbBackend } from './wandb/wandbBackend';
export { setPythonSources } from '../core/python/pythonSources';
