// Click-to-load videos (hooks/20-shortcodes.lua): the page makes no request to the video host
// until the reader selects play; then the placeholder becomes the player.
(function () {
  'use strict';
  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('.video-embed-play');
    if (!link) return;
    var figure = link.closest('.video-embed');
    event.preventDefault();
    var frame = document.createElement('iframe');
    frame.src = figure.getAttribute('data-video-src');
    frame.title = figure.getAttribute('data-video-title');
    frame.allow = 'autoplay; encrypted-media; picture-in-picture; fullscreen';
    frame.setAttribute('allowfullscreen', '');
    figure.replaceChild(frame, link);
    frame.focus();
  });
})();
