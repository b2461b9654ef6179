import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { i18n } from './i18n/i18n.svelte.ts';
import { loadKoreanFont } from './korean-font.ts';
import { reportUnexpectedErrors } from './unexpected-errors.ts';

reportUnexpectedErrors();
await loadKoreanFont(i18n.locale === 'ko');

mount(App, { target: document.getElementById('app') as HTMLElement });
