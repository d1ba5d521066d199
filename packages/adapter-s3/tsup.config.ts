export { default } from '../../tsup.adapter.js';
