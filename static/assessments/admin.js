// Names for widgets of Django admin and django-import-export, which axe finds unnamed.
//
// Django's horizontal filter names its search box's icon with an aria-label on a plain span,
// which assistive technology need not read (axe: aria-prohibited-attr). As an image the icon is
// read, and names the label it sits in. SelectFilter2 builds the filters on 'load' and for new
// inline rows, after this file's handlers are registered: hence the timeout.
'use strict';
{
    function nameTheFilterIcons() {
        document.querySelectorAll('.selector .search-label-icon[aria-label]').forEach(function(icon) {
            icon.setAttribute('role', 'img');
        });
    }
    // An autocomplete box (select2) is a textbox named by its title, which it has only while a
    // row is chosen (axe: aria-input-field-name): name it by the field's label, as the select
    // it stands for is named.
    function nameTheAutocompleteBoxes() {
        document.querySelectorAll('select.admin-autocomplete').forEach(function(select) {
            const box = document.getElementById('select2-' + select.id + '-container');
            const label = select.labels.length ? select.labels[0].textContent : '';
            const name = select.getAttribute('aria-label') || label.replace(/:\s*$/, '').trim();
            if (box && name) {
                box.setAttribute('aria-label', name);
            }
            // A box of several rows (a selection's comparators) is typed into through its own
            // search field, which has no label of its own once a row is chosen.
            const container = select.multiple ? select.nextElementSibling : null;
            const search = container && container.querySelector('.select2-search__field');
            if (search && name) {
                search.setAttribute('aria-label', name);
            }
        });
    }
    // django-import-export's export page labels its "Select all" box for an id the box lacks
    // (axe: label).
    function nameTheSelectAllBox() {
        const box = document.querySelector('input.select-toggle[name="select-all-toggle"]:not([id])');
        if (box && document.querySelector('label[for="select-all-toggle"]')) {
            box.id = 'select-all-toggle';
        }
    }
    function soon() {
        window.setTimeout(function() {
            nameTheFilterIcons();
            nameTheAutocompleteBoxes();
            nameTheSelectAllBox();
        }, 0);
    }
    window.addEventListener('load', soon);
    document.addEventListener('formset:added', soon);
}
