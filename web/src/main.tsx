import { render } from 'preact';
import { App } from './app';
import { keyFromHash, setKey } from './session';
import 'uplot/dist/uPlot.min.css';
import './styles.css';

const fromHash = keyFromHash();
if (fromHash) setKey(fromHash);
render(<App />, document.getElementById('app')!);
