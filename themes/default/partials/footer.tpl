{{%AUTOESCAPE context="HTML"}}
{{!Footer text, generator credit, and the scripts (both deferred: main.js by defer, search.js as a module).}}
<footer class="hg-footer">
<div class="hg-footer-inner">
<p>{{FOOTER_TEXT}}</p>
<p class="hg-credit">{{GENERATOR}}</p>
</div>
</footer>
<script src="{{ASSET_MAIN_JS}}" defer></script>
<script type="module" src="{{ASSET_SEARCH_JS}}"></script>
