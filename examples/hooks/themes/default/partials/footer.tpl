{{%AUTOESCAPE context="HTML"}}
{{!The built-in footer plus the styles and script of the hooks example (video placeholders, glossary terms, external links).}}
<footer class="hg-footer">
<div class="hg-footer-inner">
<p>{{FOOTER_TEXT}}</p>
<p class="hg-credit">{{GENERATOR}}</p>
</div>
</footer>
<link rel="stylesheet" href="{{ASSET_HOOKS_CSS}}">
<script src="{{ASSET_MAIN_JS}}" defer></script>
<script src="{{ASSET_VIDEO_JS}}" defer></script>
<script type="module" src="{{ASSET_SEARCH_JS}}"></script>
