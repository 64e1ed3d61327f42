// Values and the places around them where a recogniser decides by a value's first character or by what
// follows it: shared by the line-shapes unit test and the fuzz mutator, which both try numbers' forms there.

/** Things that only look like numbers: thousands, a version, a time, a unit, a word, nothing, hex, half a number. */
export const NOT_NUMBERS: readonly string[] = ['1,234', '1.2.3', '12:30', '3.2s', 'x', '', '0x1F', '1e', '-', '%'];

/** Text before a value: keys with and without blanks, headers, dict and JSON keys, a name with a blank. */
export const VALUE_PREFIXES: readonly string[] = [
  'epoch = ',
  'Epoch 1 step=',
  'step   : ',
  "{'k1': ",
  "{'1':",
  '{"k": ',
  'loss = ',
  'Epoch 2/9 - acc: ',
  "metrics: {'a': ",
  '[Epoch 2] Iter ',
  "{'a ':",
];

/** Text after a value: nothing, another pair or header, a dict's end or call, a bar's rate, a key that takes in the value. */
export const VALUE_SUFFIXES: readonly string[] = ['', ' x=1', ' iter 7 x=1', '}', '(7)}', ', "b": 2}', ' | 3.2it/s', ' loss: 0.5', ': loss=0.5', " b':1}"];
