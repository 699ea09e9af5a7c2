import 'uplot/dist/uPlot.min.css';
import './style.css';
import { render } from 'preact';
import { App } from './App.js';
import { takeKeyFromFragment } from './lib/api.js';
import { applyInitialTheme } from './lib/theme.js';

takeKeyFromFragment();
applyInitialTheme();
const root = document.getElementById('root');
if (root) render(<App />, root);
