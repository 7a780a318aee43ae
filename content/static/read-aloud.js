/* read-aloud.js: 朗读 (read aloud) for 长者模式 pages. Adds two buttons to the
 * header strip: one reads the page's main content with the browser's own speech
 * synthesis and then pauses and resumes it, the other stops it. The page works the
 * same without this file; without JavaScript, or in a browser without speech
 * synthesis, the buttons never appear. Nothing is sent anywhere. */
(function () {
  'use strict';

  var synth = window.speechSynthesis;
  var Utterance = window.SpeechSynthesisUtterance;
  var main = document.getElementById('main');
  var strip = document.querySelector('.top-bar .wrap');
  if (!synth || typeof Utterance !== 'function' || !main || !strip) return;

  /* Chromium cuts one long utterance off after some seconds, so the text goes in
   * pieces: its lines, and a line longer than this at the end of a sentence. */
  var PIECE_MAX = 200;

  var state = 'idle';	/* idle, speaking or paused */
  var run = 0;		/* which reading an utterance belongs to */

  function button(cls, text) {
    var b = document.createElement('button');
    b.type = 'button';
    b.className = cls;
    b.textContent = text;
    return b;
  }

  var box = document.createElement('div');
  box.className = 'read-aloud';
  box.setAttribute('role', 'group');
  box.setAttribute('aria-label', '朗读');
  var play = button('read-play', '朗读本页');
  var stop = button('read-stop', '停止朗读');
  stop.hidden = true;
  box.appendChild(play);
  box.appendChild(stop);
  strip.insertBefore(box, strip.firstChild);

  /* The text of the main content as a reader sees it, in pieces. */
  function pieces() {
    var out = [];
    main.innerText.split('\n').forEach(function (line) {
      line = line.replace(/\s+/g, ' ').trim();
      while (line.length > PIECE_MAX) {
        var cut = -1;
        for (var i = PIECE_MAX; i > 0 && cut < 0; i--)
          if ('。！？；'.indexOf(line.charAt(i - 1)) >= 0) cut = i;
        if (cut < 0) cut = PIECE_MAX;
        out.push(line.slice(0, cut));
        line = line.slice(cut).trim();
      }
      if (line) out.push(line);
    });
    return out;
  }

  function show(next) {
    state = next;
    play.textContent = next === 'speaking' ? '暂停朗读' : next === 'paused' ? '继续朗读' : '朗读本页';
    stop.hidden = next === 'idle';
  }

  function start() {
    var list = pieces();
    var mine = ++run;
    synth.cancel();
    list.forEach(function (text, i) {
      var u = new Utterance(text);
      u.lang = 'zh-CN';
      u.rate = 0.9;
      if (i === list.length - 1)
        u.onend = function () { if (run === mine) show('idle'); };
      synth.speak(u);
    });
    show(list.length ? 'speaking' : 'idle');
  }

  function halt() {
    run++;
    synth.cancel();
    show('idle');
  }

  play.addEventListener('click', function () {
    if (state === 'idle') start();
    else if (state === 'speaking') { synth.pause(); show('paused'); }
    else { synth.resume(); show('speaking'); }
  });
  stop.addEventListener('click', function () {
    halt();
    play.focus();	/* the stop button hides itself: focus stays near */
  });
  /* Leaving the page ends its reading. */
  window.addEventListener('pagehide', function () { if (state !== 'idle') halt(); });
})();
