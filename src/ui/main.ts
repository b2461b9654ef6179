import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { reportUnexpectedErrors } from './unexpected-errors.ts';

reportUnexpectedErrors();

mount(App, { target: document.getElementById('app') as HTMLElement });
